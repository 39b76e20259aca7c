"""Publishing: staging and the atomic swap, the incremental build state, changes between revisions."""
