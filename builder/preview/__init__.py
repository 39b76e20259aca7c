"""`jixiao serve`: the live preview for the staff who edit."""
