"""The reader's words for counts, codes, column names and ids.

Everything a reader sees that the data holds as a code (a reference table's column, a verdict's
method, an attribution method, a quotation's channel, a fact table's name) is named by
``knowledge/wording.yaml``, in this one place, so that a new code gets words once and every
page says the same.
"""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None, *, zero: str | None = None) -> str:
    """``1 source``, ``3 sources``; with ``zero``, the word for none (``no sources``). Irregular
    plurals are given (``plural(n, "was", "were")``)."""
    many = nouns or (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else
                     noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s"))
    if count == 0 and zero is not None:
        return f"{zero} {many}"
    return f"{count:,} {noun if count == 1 else many}"
