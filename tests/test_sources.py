import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import InputError, load_sources, read_source
from analysis.inputs.sources import split_byline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
HEADER = " date 2025-04-24 By Fred He and Sophia Saifi, CNN\n"


def write(tmp_path: Path, content: bytes | str, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_seed_header_is_parsed() -> None:
    source = load_sources(SEEDS)[0]
    assert source.source_id == "000_615d141f3fb52d67"
    assert source.published == dt.date(2025, 4, 24)
    assert source.authors == ("Fred He", "Sophia Saifi")
    assert source.outlet == "CNN"
    assert source.text.lstrip().startswith("(CNN)")


def test_body_is_kept_exactly_as_read() -> None:
    path = SEEDS / "000_615d141f3fb52d67.txt"
    source = read_source(path)
    raw = path.read_bytes().decode("utf-8")
    assert raw[source.body_offset:] == source.text


def test_paragraphs_and_sentences_round_trip() -> None:
    source = load_sources(SEEDS)[0]
    assert source.paragraphs and source.sentences
    for span in (*source.paragraphs, *source.sentences):
        assert source.text[span.start:span.end] == span.text
        assert span.text == span.text.strip()


def test_sentences_do_not_break_at_clock_abbreviations() -> None:
    source = load_sources(SEEDS)[0]
    clock = [s.text for s in source.sentences if "5:17 p.m." in s.text]
    assert len(clock) == 1 and clock[0].endswith("state media reported on Wednesday.")


def test_crlf_and_bom_keep_offsets_exact(tmp_path: Path) -> None:
    body = "First paragraph here.\r\n\r\nSecond one “quoted.” Third sentence.\r\n"
    source = read_source(write(tmp_path, ("\ufeff" + HEADER.replace("\n", "\r\n") + body).encode()))
    assert source.text == body
    assert [p.text for p in source.paragraphs] == ["First paragraph here.",
                                                   "Second one “quoted.” Third sentence."]
    for span in source.sentences:
        assert source.text[span.start:span.end] == span.text


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "empty", 1),
        (b"   \n\n", "empty", 1),
        (b"no header here\nbody\n", "not a header", 1),
        (b" date 2025-02-30 By A, CNN\nbody\n", "not a real", 1),
        (b" date April 2025 By A, CNN\nbody\n", "not a real", 1),
        (b" date 2025-04-24 By A, CNN\n\n  \n", "no text", 2),
        (HEADER.encode() + b"ok\n\xff\xfe broken\n", "UTF-8", 3),
    ],
)
def test_bad_sources_name_file_and_line(tmp_path: Path, content: bytes, message: str, line: int) -> None:
    path = write(tmp_path, content)
    with pytest.raises(InputError) as info:
        read_source(path)
    assert message in str(info.value)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_empty_seeds_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no \*\.txt"):
        load_sources(tmp_path)


def test_byline_splits_on_and_and_commas() -> None:
    assert split_byline("A B, C D and E F") == ("A B", "C D", "E F")


def test_an_outlet_with_a_comma_is_written_in_quotes_and_read_whole(tmp_path: Path) -> None:
    """It was once read as an author ("Dawn") and an outlet ("Karachi")."""
    from analysis.corpus.archive import seed_bytes

    raw = seed_bytes(dt.date(2025, 4, 24), ["Ayesha Khan", "Li Wei"], "Dawn, Karachi", "Body text.\n")
    assert raw.startswith(b' date 2025-04-24 By Ayesha Khan and Li Wei, "Dawn, Karachi"\n')
    source = read_source(write(tmp_path, raw.decode()))
    assert (source.authors, source.outlet) == (("Ayesha Khan", "Li Wei"), "Dawn, Karachi")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       st.lists(st.text(alphabet="ABCDEFGHIJ abcdefghij", min_size=1, max_size=12)
                .filter(lambda s: s.strip() and " and " not in f" {s} "), min_size=1, max_size=3),
       st.text(alphabet="ABCDEFGHIJKLMNOP ,", min_size=1, max_size=10).filter(lambda s: s.strip(" ,")))
@pytest.mark.filterwarnings("ignore:.*header date")  # random dates, some implausible
def test_header_round_trips(published: dt.date, authors: list[str], outlet: str) -> None:
    import tempfile

    from analysis.inputs.sources import header_outlet

    outlet = outlet.strip()
    byline = " and ".join(a.strip() for a in authors)
    header = f" date {published.isoformat()} By {byline}, {header_outlet(outlet)}\n"
    with tempfile.TemporaryDirectory() as tmp:
        source = read_source(write(Path(tmp), header + "Body text.\n"))
    assert source.published == published
    assert source.outlet == outlet.strip()
    assert source.text == "Body text.\n"
