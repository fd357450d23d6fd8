"""The published recommendation pages, their API and downloads."""
