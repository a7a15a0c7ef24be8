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


# --- other house styles: speakers the gazetteer does not know ------------------------------------

def test_unknown_speaker_is_named_and_a_surname_refers_back() -> None:
    quotes = quotes_of("“We are ready,” said Tan Yuhang, a researcher.\n\n“It is tight,” Tan added.")
    assert quotes.speaker_name.tolist() == ["Tan Yuhang", "Tan Yuhang"]
    assert quotes.speaker_id.tolist() == ["", ""] and quotes.method.tolist() == ["named", "named"]


def test_office_words_are_not_part_of_the_name() -> None:
    q = quotes_of("Federal Minister for Planning Karim Yusufzai said: “We will fly.”").iloc[0]
    assert q.speaker_name == "Karim Yusufzai"


def test_single_quotation_marks_and_apostrophes() -> None:
    quotes = quotes_of("'The commission's plan is ready,' a SUPARCO official said. Pakistan's turn came.")
    assert quotes.text.tolist() == ["The commission's plan is ready,"]
    assert (quotes.iloc[0].speaker_name, quotes.iloc[0].method) == ("a SUPARCO official", "anonymous")


def test_nested_quotation_stays_inside() -> None:
    quotes = quotes_of("“We call it 'launch on need', and it worked,” said Liu Dezhao.")
    assert len(quotes) == 1 and quotes.iloc[0].speaker_name == "Liu Dezhao"


def test_joint_statement_names_its_issuers() -> None:
    text = ("Pakistan picked two, the military's media wing, ISPR, and the agency SUPARCO said in a joint "
            "statement.\n\n“Both will train,” the statement said.")
    q = quotes_of(text).iloc[0]
    assert (q.method, q.channel) == ("channel", "statement")
    assert q.issuers.split("|") == ["ISPR", "suparco"]


def test_the_ministry_is_the_ministry_named_before() -> None:
    text = "The plan came from the Ministry of Planning.\n\n“It covers training,” the ministry said."
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.method) == ("Ministry of Planning", "organisation")


def test_a_pronoun_skips_a_person_of_the_other_gender() -> None:
    text = ("Spokeswoman Hu Lanfang spoke first. Later spokesman Gao Ruiming arrived.\n\n"
            "“We welcome everyone,” she told reporters.")
    assert quotes_of(text).iloc[0].speaker_name != "Gao Ruiming"  # never the last-named man
    text = ("“We are ready,” spokeswoman Hu Lanfang said. “So are we,” spokesman Gao Ruiming said.\n\n"
            "“Yes,” she said.")
    assert quotes_of(text).iloc[-1].speaker_name == "Hu Lanfang"


def test_a_statement_read_out_as_paragraphs_keeps_its_speaker() -> None:
    text = ("Spokeswoman Wen Xiaoyu read a statement. The following was announced:\n\n"
            "“Training is going well.”\n\n“Two missions will fly this year.”\n\nOthers were silent.")
    quotes = quotes_of(text)
    assert quotes.speaker_name.tolist() == ["Wen Xiaoyu", "Wen Xiaoyu"]


def test_a_quotation_running_on_into_the_next_paragraph_keeps_its_speaker() -> None:
    text = "“We are serious,” said Sadia Karim. “Our students are ready.\n\n“The hard part is waiting.”"
    quotes = quotes_of(text)
    assert quotes.speaker_name.tolist() == ["Sadia Karim"] * 3
    assert not quotes.iloc[1].closed


def test_an_organisation_never_named_before_is_still_the_speaker() -> None:
    q = quotes_of("“We will sign in January,” the ministry said in a statement.").iloc[0]
    assert (q.speaker_name, q.method) == ("the ministry", "organisation")
