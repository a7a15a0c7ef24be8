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


# --- structures of real outlets, read from the parse (issue: real published text) ---------------

def test_an_appositive_between_the_speaker_and_the_verb_names_the_person_not_the_agency() -> None:
    q = quotes_of("“Two will train with our crews,” Zhang Weimin, spokesperson for the China Manned "
                  "Space Agency (CMSA), told reporters on Thursday.").iloc[0]
    assert (q.speaker_name, q.speaker_id, q.method, q.resolution) == ("Zhang Weimin", "", "named", "parse")


def test_an_inverted_attribution_with_an_appositive_names_the_person() -> None:
    q = quotes_of("“One of them will fly,” announced Zhang Weimin, spokesperson of the CMSA.").iloc[0]
    assert (q.speaker_name, q.resolution) == ("Zhang Weimin", "parse")


def test_a_shared_surname_is_the_person_the_passage_is_about() -> None:
    text = ("The crew of commander Zhang Lu and astronauts Wu Fei and Zhang Hongzhang will fly on Friday.\n\n"
            "“The visitor will be a payload specialist,” said Zhang Weimin, the agency's spokesperson.\n\n"
            "“Experiments for Pakistan come first,” Zhang explained.")
    q = quotes_of(text).iloc[-1]
    assert (q.speaker_name, q.resolution) == ("Zhang Weimin", "surname")


def test_a_title_and_a_surname_refer_back_to_the_full_name() -> None:
    text = ("Speaking to reporters, SUPARCO director Dr Imtiaz Farooqui said the selection had begun.\n\n"
            "“Pilots and scientists may apply,” said Mr Farooqui.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.resolution) == ("Imtiaz Farooqui", "surname")


def test_he_after_reported_speech_is_the_speaker_of_that_speech() -> None:
    text = ("CMSA spokesperson Liu Haoran said that the selection was under way.\n\n"
            "“It has three stages,” he said.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.method, q.resolution) == ("Liu Haoran", "pronoun", "pronoun")


def test_a_speaker_named_only_in_the_next_paragraph_is_found_ahead() -> None:
    text = ("China welcomed the agreement on Tuesday.\n\n"
            "“We hope the visit will be a full success,” he said.\n\n"
            "Foreign Ministry spokesperson Mao Zhiyuan made the remarks at a briefing.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.resolution) == ("Mao Zhiyuan", "cataphora")


def test_a_described_speaker_takes_the_name_given_after_the_quotation() -> None:
    text = ("A Chinese Foreign Ministry spokesperson said on Monday that space was a shared dream.\n\n"
            "“We look forward to the flight,” he said.\n\n"
            "Mao Zhiyuan pointed out that the programme was open to all.\n\n"
            "“We are ready to work with Pakistan,” he added.")
    quotes = quotes_of(text)
    assert quotes.speaker_name.tolist() == ["Mao Zhiyuan", "Mao Zhiyuan"]
    assert quotes.resolution.tolist() == ["cataphora", "pronoun"]


def test_a_release_read_out_after_a_colon_is_its_issuers() -> None:
    text = ("In a press release shared on behalf of the country's Space and Upper Atmosphere Research "
            "Commission, the following was announced:\n\n“Two candidates have been shortlisted.”\n\n"
            "“Both will train in China.”")
    quotes = quotes_of(text)
    assert quotes.speaker_id.tolist() == ["suparco", "suparco"]
    assert quotes.resolution.tolist() == ["issuer", "issuer"]


def test_the_role_noun_is_the_person_introduced_with_that_role() -> None:
    text = ("Pakistan's ambassador to China, Naveed ul Hassan, congratulated the crew.\n\n"
            "“Warm congratulations,” the ambassador posted on X.")
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.resolution) == ("Naveed ul Hassan", "noun")


def test_quoted_as_saying_and_as_per_name_the_organisation() -> None:
    quotes = quotes_of("A newspaper quoted the China Manned Space Agency as saying it was “a landmark”.\n\n"
                       "As per SUPARCO, “the programme will train engineers too.”")
    assert quotes.speaker_id.tolist() == ["cmsa", "suparco"]


def test_a_possessor_or_demonym_inside_the_speaker_words_is_not_the_speaker() -> None:
    quotes = quotes_of("Pakistan's foreign ministry said the flight was “a symbol of friendship”.\n\n"
                       "According to a statement from the Pakistani embassy in Beijing, “the tests passed.”")
    assert quotes.speaker_name.iloc[0] == "Pakistan's foreign ministry"
    assert quotes.speaker_name.iloc[1] in ("the Pakistani embassy", "the Pakistani embassy in Beijing")
    assert "pakistan" not in quotes.speaker_id.tolist()


def test_a_quotation_after_a_sentence_about_its_speaker_is_theirs() -> None:
    text = "Hu Jianping, a deputy director, sounded confident. “Our partners are moving quickly.”"
    q = quotes_of(text).iloc[0]
    assert (q.speaker_name, q.resolution) == ("Hu Jianping", "subject")


def test_a_quotation_closing_reported_speech_is_the_subject_s() -> None:
    q = quotes_of("Saima Rauf said the work was both “a test of our hardware and a lesson.”").iloc[0]
    assert (q.speaker_name, q.resolution) == ("Saima Rauf", "parse")


def test_past_the_parse_limit_the_patterns_still_attribute(monkeypatch) -> None:
    import analysis.facts.quotes as quotes_module

    monkeypatch.setattr(quotes_module, "MAX_PARSED", 1)
    quotes = quotes_of("“One,” said Quentin Parker.\n\n“Two,” said Amjad Ali.")
    assert quotes.speaker_id.tolist() == ["quentin_parker", "amjad_ali"]
    assert quotes.resolution.tolist() == ["parse", "rule"]


def test_the_seed_s_quotations_keep_their_speakers_and_methods(seed_facts) -> None:
    """The seed's eight quotations, annotated by hand: who said each, and how the article says so."""
    quotes = seed_facts["quotes"]
    assert list(zip(quotes.speaker_id, quotes.method, strict=True)) == [
        ("quentin_parker", "named"), ("quentin_parker", "pronoun"), ("amjad_ali", "pronoun"),
        ("pm_office_pakistan", "channel"), ("shehbaz_sharif", "named"), ("shehbaz_sharif", "named"),
        ("amer_gilani", "named"), ("quentin_parker", "pronoun")]


def test_he_after_a_gazetteer_person_s_reported_speech_is_that_entity() -> None:
    """The person's gazetteer mention is the referent, not a nameless copy of it made from the
    reported speech (which left ``speaker_id`` empty beside the right name)."""
    text = "Amjad Ali said the crew was ready.\n\n“We agree,” he said. “We will fly,” he said."
    quotes = quotes_of(text)
    assert list(quotes.speaker_id) == ["amjad_ali", "amjad_ali"]
    assert list(quotes.resolution) == ["pronoun", "pronoun"]
