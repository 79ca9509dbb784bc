"""Reading, validating and loading takedown items (DESIGN §5)."""
