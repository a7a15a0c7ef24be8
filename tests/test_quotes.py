"""Quote attribution: named speakers, pronouns, statements and the channel the words came through."""

from analysis.facts.mentions import MentionFinder
from analysis.facts.quotes import quotes_frame
from tests.factories import make_source, project_knowledge

KNOWLEDGE = project_knowledge()
FINDER = MentionFinder(KNOWLEDGE.gazetteer)


def quotes_of(text: str):
    source = make_source(text)
    return quotes_frame([source], {source.source_id: FINDER.find(source)}, KNOWLEDGE.gazetteer)


def test_named_speaker_after_the_verb() -> None:
    q = quotes_of("The mission is “a big step,” said Quentin Parker, a professor.").iloc[0]
    assert (q.speaker_id, q.method, q.channel) == ("quentin_parker", "named", "unstated")
    assert q.text == "a big step,"


def test_named_speaker_before_the_verb() -> None:
    q = quotes_of("Amjad Ali said the plan was “on track.”").iloc[0]
    assert (q.speaker_id, q.method) == ("amjad_ali", "named")


def test_pronoun_resolves_to_the_last_named_person() -> None:
    text = ("Amjad Ali, deputy director of SUPARCO, lauded the news. "
            "“It is very important for Pakistan,” he told Reuters news agency on Wednesday.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_id, q.method, q.channel) == ("amjad_ali", "pronoun", "reuters")
    assert q.cue == "he told"


def test_statement_channel_resolves_to_its_issuer() -> None:
    text = ("On Tuesday, a delegation met Shehbaz Sharif, according to a statement from Sharif’s office.\n\n"
            "The delegation expressed a “keen interest in investing,” the statement added.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_id, q.method, q.channel) == ("pm_office_pakistan", "channel", "statement")


def test_told_cnn_sets_the_channel() -> None:
    q = quotes_of("Amer Gilani told CNN the experiments will have “high impact.”").iloc[0]
    assert (q.speaker_id, q.channel) == ("amer_gilani", "cnn")


def test_split_quote_is_one_utterance_in_two_parts() -> None:
    quotes = quotes_of("“We are ready,” Amjad Ali said, “and we will fly.”")
    assert len(quotes) == 2
    assert quotes.speaker_id.tolist() == ["amjad_ali", "amjad_ali"]
    assert quotes.utterance.nunique() == 1
    assert quotes.part.tolist() == [1, 2]


def test_multi_sentence_quote_is_one_fragment() -> None:
    quotes = quotes_of("“It is done. We fly next,” said Amjad Ali.")
    assert len(quotes) == 1
    assert quotes.iloc[0].text == "It is done. We fly next,"
    assert quotes.iloc[0].speaker_id == "amjad_ali"


def test_unclosed_quote_runs_to_paragraph_end_and_is_flagged() -> None:
    source_text = "Amjad Ali said: “we will go\n\nNext paragraph."
    quotes = quotes_of(source_text)
    assert len(quotes) == 1
    q = quotes.iloc[0]
    assert not q.closed
    assert q.text == "we will go"


def test_unattributed_quote_is_marked_unresolved() -> None:
    q = quotes_of("The so-called “space race” continues.").iloc[0]
    assert (q.speaker_id, q.method) == ("", "unresolved")
