"""The public record: reference tables, verdicts on the sources' claims, and charts of the record."""
