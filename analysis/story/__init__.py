"""The story across sources: statements merged from every source, with how they moved."""
