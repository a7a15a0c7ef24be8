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
# # 4 · From an archive to the story's sources
#
# The briefing reads a handful of articles; a desk finds them in an archive. This notebook reads a
# *corpus folder*: every document of an archive run through the briefing's own extractors by
# `python -m analysis corpus extract`, one Parquet table per fact, partitioned by month, queried
# here with DuckDB. By default it makes one from the small synthetic archive the repository ships
# (`analysis/corpus/sample.jsonl`: the seed and fixture articles with shuffled paragraphs, new
# dates and outlets); set `corpus_dir` below, or the environment variable `CORPUS_DIR`, to a
# folder made from a real archive.

# %% tags=["parameters"]
corpus_dir = None  # a corpus folder made by `python -m analysis corpus extract`; None: the sample

# %%
import os
import tempfile
from pathlib import Path

from IPython.display import Markdown

from analysis import ProjectPaths, style
from analysis.corpus import charts
from analysis.corpus.queries import Corpus, story_actors
from analysis.corpus.run import extract_sample
from analysis.markup import text

style.use_house_style()
scratch = tempfile.TemporaryDirectory()  # the sample's tables; removed when the kernel stops
folder = corpus_dir or os.environ.get("CORPUS_DIR") or extract_sample(Path(scratch.name) / "sample")
corpus = Corpus(Path(folder))
actors = story_actors(ProjectPaths.default())
corpus.size()

# %% [markdown]
# The story's actors are the ones the briefing's own sources (`seeds/`) name most, outlets aside.
# A corpus document *carries the story* when it names at least two of them.

# %%
entities = corpus.query("SELECT entity_id, name, type FROM entities").set_index("entity_id")
entities.loc[actors]

# %% [markdown]
# ## The story week by week

# %%
weekly = corpus.mentions_per_week(actors)
charts.mentions_per_week(weekly, actors, "Mentions of the story's actors per week").show()

# %%
by_week = weekly.groupby("week").mentions.sum()
busiest = by_week.idxmax()
Markdown(f"{int(weekly.mentions.sum())} mentions of the story's actors in {by_week.size} weeks; the busiest "
         f"week, starting {busiest:%Y-%m-%d}, has {int(by_week.max())}.")

# %% [markdown]
# ## The outlets that carry it

# %%
outlets = corpus.outlets(actors)
charts.ranked(outlets, "outlet", "documents", "Outlets carrying the story", "Documents").show()

# %% [markdown]
# ## Who is quoted
#
# A speaker is the gazetteer's name when the attribution resolves to an entity, else the words
# that name them (*Tan Yuhang*, *a SUPARCO official*).

# %%
speakers = corpus.speakers(actors)
charts.ranked(speakers, "speaker", "quotes", "Most-quoted speakers in the story's documents",
              "Quotations", colour=style.PALETTE[2], pattern="x").show()

# %% [markdown]
# ## Names to curate
#
# Names the gazetteer (`analysis/knowledge/entities.yaml`) does not know yet, ranked by how many of
# the story's documents use them, with the date each was first seen: the leads for curation.

# %%
leads = corpus.candidates(actors)
charts.curation_leads(leads, "Names the gazetteer lacks, by documents naming them").show()

# %%
leads

# %%
top = leads.iloc[0]
Markdown(f"**{text(top['name'])}** ({text(top['type'])}) is named in {top['documents']} documents, first on "
         f"{top['first_seen']:%Y-%m-%d}: add it to the gazetteer and the next extraction counts it as an actor.")

# %% [markdown]
# ## From the archive to `seeds/`
#
# `python -m analysis corpus select FOLDER --actors pakistan,tiangong --since 2025-01-01 --to seeds/`
# writes the documents naming every given actor as seed files, so the briefing can be built from
# what the archive holds. Here, the documents it would choose:

# %%
chosen = corpus.selection(["pakistan", "tiangong"], since="2025-01-01")
Markdown(f"{len(chosen)} documents name both Pakistan and Tiangong since 2025-01-01, the first "
         f"on {chosen.published.min():%Y-%m-%d} and the last on {chosen.published.max():%Y-%m-%d}.")
