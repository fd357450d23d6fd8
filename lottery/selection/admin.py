"""(filled in by this part of the lottery)."""
