"""Deciding: ballots, secret votes, priority votes, minority statements."""
