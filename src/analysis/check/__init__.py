"""Checking the article against official statistics: ``reconcile`` (a status per claim, by stated
rules) and ``corrections`` (what the article's editors could change)."""
