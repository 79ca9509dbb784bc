"""Reading, validating and loading takedown items (docs/DESIGN.md §5)."""
