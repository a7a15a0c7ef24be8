"""Facts: entities, mentions, quotes, events, numbers, relations, claims, candidates; all with provenance."""
