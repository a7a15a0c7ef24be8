# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # China's space diplomacy: a Pakistani astronaut for Tiangong
#
# *An analytical briefing built from news reporting and checked against the public record. Every
# judgement links to the passage or the reference row it rests on.*

# %%
from IPython.display import HTML, Markdown, display

from analysis import style
from analysis.briefing.content import Briefing
from analysis.briefing.html import captioned, evidence_html, judgements_html, linked_list, table_html
from analysis.briefing.story import SHOWN_QUOTES, record_shown, since_html
from analysis.facts import charts
from analysis.facts.extract import UNRESOLVED, quote_summary, speakers
from analysis.markup import text
from analysis.wording import count_word, plural
from analysis.network.chart import network_figure
from analysis.network.layout import layout
from analysis.record import charts as record_charts
from analysis.story import charts as story_charts

style.use_house_style()
b = Briefing.assemble()
n = b.numbers
Markdown(b.opening())

# %% [markdown]
# <nav id="toc"></nav>

# %% [markdown]
# ## Key judgements

# %%
judgements = b.judgements()
HTML(judgements_html(judgements))

# %% [markdown]
# ## Sources and how the story moved
#
# Each source in the order it was published, what it added that no earlier source had, and which
# key judgements (numbered as above) read differently once it is included; each source's dateline
# and length are in sources.csv. A *statement* is one thing the sources say (a dated event, a
# number, a quotation, a relation), merged across the sources that say it.

# %%
HTML(table_html(b.sources_table(), {"source": "Source", "date": "Published", "byline": "Byline",
                                     "changed": "Key judgements changed", "added": "New statements"},
                widths={"source": "20%", "date": "11%", "byline": "19%", "changed": "13%"}))

# %%
HTML(since_html(b.since_previous(), b.topic_labels))

# %%
lanes = story_charts.story_lanes(b.statements[0], b.facts.sources, b.topics)
if len(b.facts.sources) > 1:  # one source has not moved yet: a sentence says so, no chart
    captioned(story_charts.story_chart(lanes, b.topics, "What each source said, by topic and publication date"),
              "How the story moved", b.story_takeaway(),
              "Lanes of topics; a mark for each source at its publication date, its symbol saying whether "
              "later or same-day sources agreed, updated or contradicted what it said.").show()
else:
    display(Markdown(text(b.story_takeaway())))

# %%
moves, more = b.story_moves()
statements, _ = b.statements
shared = int((statements.n_sources > 1).sum())
summary = f"{plural(len(statements), 'statement')}, {count_word(shared)} made by more than one source"
if len(b.facts.sources) == 1:
    shown = Markdown(text(f"The source makes {plural(len(statements), 'statement')}."))
elif moves.empty:
    shown = Markdown(text(f"{summary}; none updated or contradicted by a later or same-day source."))
else:
    rest = f" ({more} more in statements.csv)" if more else ""
    shown = HTML(f"<p>{summary}. Those a later source updated, or that same-day sources disagree on{rest}:</p>"
                 + table_html(moves, {"topic": "Topic", "status": "Across sources", "sources": "Sources",
                                      "summary": "Latest words"}))
shown

# %% [markdown]
# ## The announcement
#
# On the eve of the Shenzhou-20 launch, China's human-spaceflight agency said that a Pakistani
# payload specialist would be the first foreigner to fly to its station. The sources carry the
# news through the voices below; the channel says how each quotation reached them. A quotation
# that several sources repeat (a syndicated copy) is listed once, with the number of sources.

# %%
quotes = b.facts["quotes"]
names = b.facts["entities"].set_index("entity_id")["name"]
unnamed = b.words.of("labels", "unresolved_speaker")
summary = quote_summary(b.facts).replace({"speaker": {UNRESOLVED: unnamed}})
top = summary.iloc[0]
named_channel = int((quotes.channel != "unstated").sum())
said_by = speakers(b.facts)
Markdown(f"The sources quote {plural(said_by[said_by != UNRESOLVED].nunique(), 'speaker')} in "
         f"{plural(len(quotes), 'passage')}. {text(top['speaker'])} supplies the most quoted words "
         f"({top['words']:,} of {summary['words'].sum():,}); "
         f"{plural(named_channel, 'passage names the channel it', 'passages name the channel they', zero='no')} "
         "came through.")

# %%
most = 12
captioned(charts.quoted_words(summary, "Quoted words by speaker and channel"
                              + (f", the {most} speakers quoted most" if summary.speaker.nunique() > most else ""),
                              top=most),
          "Who is quoted, and through which channel",
          f"{top['speaker']} supplies {top['words'] / summary['words'].sum():.0%} of the quoted words; "
          f"{named_channel:,} of {plural(len(quotes), 'passage')} say how they reached the reporter.",
          "Horizontal stacked bars of quoted words per speaker, split by channel.").show()

# %%
distinct = b.quote_groups
speaker_of = dict(zip(quotes.quote_id, said_by, strict=True))
shown_quotes = distinct.sort_values("n_sources", ascending=False, kind="stable").head(SHOWN_QUOTES).sort_index()
rows = shown_quotes.assign(speaker=shown_quotes.quote_id.map(speaker_of).replace(UNRESOLVED, unnamed),
                           channel=[b.words.channel(c, names.to_dict()) for c in shown_quotes.channel],
                           anchor="quote-" + shown_quotes.quote_id)
rest = len(distinct) - len(shown_quotes)
note = f"<p>{rest} more quotations are in quotes.csv.</p>" if rest else ""
HTML(table_html(rows, {"speaker": "Speaker", "channel": "Channel", "n_sources": "Sources", "text": "Quoted words"},
                link="anchor") + note)

# %% [markdown]
# ## The actors and their network
#
# Actors are linked by curated relations, each resting on a source's words, and by co-mention
# in a sentence. China and Pakistan are pinned left and right; actors between them carry the ties.

# %%
captioned(network_figure(b.actors, b.metrics, layout(b.actors), "The actor network: curated relations and co-mentions",
                         labels=40, height=680),
          "The actor network",
          f"The strongest bridges between the two sides, beyond the states themselves, are {n['top_bridges']}.",
          "Network diagram: China on the left, Pakistan on the right, with agencies, people, missions and "
          "programmes between them, linked by solid curated relations and dotted co-mentions.").show()

# %%
Markdown(f"By PageRank, {text(n['top_actors'])} lead; {text(n['top_non_state'])} is the most central of the "
         "other actors. Each actor's centrality (PageRank, degree, betweenness, bridging) is in "
         "network_metrics.csv, and charted in the network notebook.")

# %% [markdown]
# ## Timeline and what to watch
#
# The sources' own dates set against what the record shows happened next. Scheduled items are
# listed with their status as of the record's date.

# %%
points = record_charts.timeline_points(b.facts["events"], b.record)
window = ("2024-10-01", "2026-12-31")  # the months around the story, in view
captioned(record_charts.record_timeline(points, b.source_dates, n["record_as_of"],
                                        "From the sources to the record's as-of date", start=window[0], end=window[1]),
          f"The sources' dates and the record, {window[0]} to {window[1]}",
          b.takeaway("The shortlist came on {check[shortlist-next-month][happened]}, "
                     "{check[shortlist-next-month][months_late]} months after the month planned; the flight "
                     "(“{check[training-and-flight-date][plan]}”) lies beyond the record's {record_as_of}."),
          "Timeline with five lanes: the sources' reported and planned dates, crewed launches, "
          "Pakistan's milestones and later events in the record.").show()

# %%
watch, more_watched = b.watch_list()
rest = f"<p>{more_watched} more scheduled items are in claims.csv.</p>" if more_watched else ""
HTML(table_html(watch, {"item": "What the sources scheduled", "said": "When", "verdict": "Verdict",
                        "status": f"Status as of {n['record_as_of']}"}, link="anchor",
                widths={"item": "24%", "said": "17%", "verdict": "13%"}) + rest)

# %% [markdown]
# ## The record: what holds up
#
# Each checkable statement is set against the reference tables. Verdicts are computed from the
# tables wherever possible; the few that no table can settle are set by hand and say why.

# %%
captioned(record_charts.verdict_counts(b.claim_groups, f"Claim verdicts against the record (as of {n['record_as_of']})"),
          "Claim verdicts",
          f"{n['supported']} of {n['checkable']} checkable claims are supported; {n['not_supported']} are not, or cannot be settled.",
          "Horizontal bars counting claims per verdict, a claim several sources make counted once.").show()

# %%
groups = b.claim_groups.assign(anchor="claim-" + b.claim_groups.claim_id,
                               method=[b.words.of("verdict_methods", m) for m in b.claim_groups.method])
shown = record_shown(groups, noted_above=watch.claim_id)  # the watch list says why already
waiting = shown.waiting


def more(count: int) -> str:
    return f"; and {count} more, in claims.csv" if count else ""


parts = ["<p>The claims that do not hold as stated, or that no table can settle, beyond the scheduled items above"
         + (f" (the {len(shown.flagged)} most widely stated; {shown.more_flagged} more in claims.csv)"
            if shown.more_flagged else "") + ":</p>",
         table_html(shown.flagged, {"topic": "Claim", "verdict": "Verdict", "method": "How", "n_sources": "Sources",
                                    "note": "Why"}, link="anchor",
                    widths={"topic": "22%", "verdict": "13%", "method": "17%"}),
         f"<p><b>Supported ({len(shown.held) + shown.more_held}):</b> "
         f"{linked_list(shown.held, 'topic', 'anchor')}{more(shown.more_held)}.</p>" if len(shown.held) else "",
         f"<p><b>Opinions ({len(shown.opinions) + shown.more_opinions}):</b> "
         f"{linked_list(shown.opinions, 'topic', 'anchor')}{more(shown.more_opinions)}.</p>" if len(shown.opinions) else "",
         f"<p>{plural(len(waiting), 'further statement')} from "
         f"{plural(waiting.sources.str.split('|').explode().nunique(), 'source')} "
         f"{'awaits' if len(waiting) == 1 else 'await'} curation; each is in claims.csv.</p>" if len(waiting) else ""]
HTML("".join(parts))

# %% [markdown]
# ## Context

# %%
captioned(record_charts.crewed_missions_by_year(b.record, "Crewed Shenzhou launches per year, by destination"),
          "China's crewed launches",
          f"Since {n['first_crew_year']['Tiangong']} China has flown {n['crews_per_year']['Tiangong']} crews a year to its modular station.",
          "Stacked bars of crewed Shenzhou launches per year, by destination.").show()

# %%
captioned(record_charts.stations_by_foreign_nationalities(b.record, "Foreign nationalities hosted by each space station"),
          "How stations opened to foreigners",
          b.takeaway("Soviet stations hosted {soviet_foreign} foreign nationalities; China's stations had hosted "
                     "{check[first-foreign-country][foreign_text]} as of {record_as_of}."),
          "Horizontal bars of foreign nationalities per station; the ISS shows its total of countries.").show()

# %%
captioned(record_charts.pakistan_satellite_launches(b.record, "Launches of Pakistani satellites, by launcher"),
          "Who launches Pakistan's satellites",
          f"China launched {n['pak_by_china']} of {n['pak_launches']}, every one after {n['last_other_launch_year']}.",
          "Stacked bars of Pakistani satellite launches per year, launched by China or by others.").show()

# %% [markdown]
# ## Method, data and sources
#
# **What was extracted, and how.** Each source is read exactly as published. Rule-based extractors
# (no statistical model) find mentions of the actors in a curated gazetteer, quotations and their
# speakers, date expressions resolved against the publication date, and numbers with their bounds.
# Relations between actors and the claims register are curated by hand, each resting on a
# source's exact words; the build refuses any row whose words are not found at its offsets. Facts
# from different sources that state the same thing are merged into one statement (the same event,
# number, quotation or relation), which is shown once with the number of sources that make it.
#
# **How claims were checked.** Reference tables compiled from public sources (crewed Shenzhou
# missions, station visitors, Pakistan's space milestones, events after the seed article) each carry
# their sources. A claim's date, count or clock time is read from the facts inside its words and
# compared with the tables; verdicts are *computed* unless no table applies.
#
# **Confidence.** *High*: well supported by several independent rows of the record. *Moderate*:
# supported, but resting on one source or on a plan not yet carried out. *Low*: a reading of the
# reporting's framing rather than a checked fact.
#
# **Data.** Every table is in `reports/data/` beside this briefing, described by a Frictionless
# [datapackage.json](data/datapackage.json): [sources.csv](data/sources.csv), [claims.csv](data/claims.csv),
# [statements.csv](data/statements.csv), [events.csv](data/events.csv), [quotes.csv](data/quotes.csv),
# [mentions.csv](data/mentions.csv), [relations.csv](data/relations.csv), [quantities.csv](data/quantities.csv),
# [entities.csv](data/entities.csv), [network_metrics.csv](data/network_metrics.csv), and the network as
# [network.graphml](data/network.graphml), [network.gexf](data/network.gexf) and [network.json](data/network.json).

# %%
counts = {b.words.of("data_tables", name): len(frame) for name, frame in b.facts.tables.items()}
Markdown("**Rows in each table:** " + "; ".join(f"{text(k)}, {v:,}" for k, v in counts.items()) + ".")

# %%
Markdown(b.limitations())

# %% [markdown]
# ## Evidence
#
# Each item shows the passage with the words relied on highlighted, and where it is: the source and
# its character offsets, or the reference table and line. A statement several sources make is shown
# once, from its first source, with the others listed.

# %%
cited = b.cited_evidence(judgements, [*shown.shown.claim_id, *watch.claim_id], shown_quotes.quote_id,
                         noted=[*shown.flagged.claim_id, *watch.claim_id])
anchors = {e.anchor for e in cited}
untold_claims = len(set("claim-" + b.claim_groups.claim_id) - anchors)
untold_quotes = len(set("quote-" + b.quote_groups.quote_id) - anchors)
untold = (f"<p>The passages of the other {untold_claims} claims and {untold_quotes} quotations are in claims.csv and "
          "quotes.csv, each row with its source and character offsets.</p>") if untold_claims or untold_quotes else ""
HTML(evidence_html(cited) + untold)
