"""Reading a form: YAML with the place of every value, the project model, the values in its cells."""
