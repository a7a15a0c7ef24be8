"""The briefing: its content (judgements, numbers, evidence) and the HTML fragments that show it."""
