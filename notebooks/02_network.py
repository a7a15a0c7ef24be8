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
# # 2 · The actor network
#
# Who works with whom in China's space diplomacy, as the sources tell it. Two kinds of link are
# drawn between actors (countries, agencies, companies, institutions, people, programmes,
# missions, stations):
#
# - **curated relations**: typed links written in `analysis/knowledge/relations.yaml`, each resting
#   on the exact words of a source (plus *quoted_by* links derived from the quotes);
# - **co-mentions**: two actors named in the same sentence, weighted by the number of such
#   sentences.
#
# Hover over any line in the chart to read the evidence behind it.

# %%
from IPython.display import Markdown

from analysis import ProjectPaths, style
from analysis.facts import charts
from analysis.facts.extract import extract_facts
from analysis.markup import text
from analysis.network.chart import network_figure
from analysis.network.graph import ActorGraph, co_mention_only_pairs, cross_side_edges, metrics
from analysis.network.layout import layout

style.use_house_style()
facts = extract_facts(ProjectPaths.default())
actors = ActorGraph.from_facts(facts)
table = metrics(actors)
kinds = {kind: actors.kind(kind).graph.number_of_edges() for kind in ("relation", "co-mention")}
Markdown(f"The network has **{actors.graph.number_of_nodes()} actors**, "
         f"**{kinds['relation']} curated or derived relations** and **{kinds['co-mention']} co-mention links**.")

# %%
network_figure(actors, table, layout(actors), "The actor network: curated relations and co-mentions",
               labels=40, height=720).show()

# %% [markdown]
# ## Who sits at the centre
#
# Centrality is computed on both kinds of link together (parallel links add up). PageRank rewards
# actors linked to well-linked actors; betweenness counts how often an actor lies on the shortest
# path between two others.

# %%
charts.ranked_by_type(table, "pagerank", "Centrality of each actor (PageRank)", "PageRank", top=15,
                      number_format=":.3f").show()

# %%
top = table.head(3)
lines = [f"{i}. **{text(r.name)}** ({text(r.type)}): PageRank {r.pagerank:.3f}, {r.degree} neighbours, betweenness {r.betweenness:.2f}"
         for i, r in enumerate(top.itertuples(), 1)]
Markdown("The three most central actors:\n\n" + "\n".join(lines))

# %% [markdown]
# ## Who bridges China and Pakistan
#
# *Bridging* restricts betweenness to the shortest paths that run from a China-side actor to a
# Pakistan-side actor (sides follow each entity's country), scaled so that the strongest bridge
# scores 1.

# %%
bridges = table[table.bridging > 0].sort_values(["bridging", "name"], ascending=[False, True])
bridges[["name", "type", "side", "bridging", "betweenness", "degree"]].reset_index(drop=True)

# %%
intermediaries = bridges[~bridges.entity_id.isin(["china", "pakistan"])]
names = ", ".join(f"**{text(r.name)}** ({r.bridging:.2f})" for r in intermediaries.head(4).itertuples())
Markdown(f"Beyond the two states themselves, the strongest bridges are {names}. "
         f"{len(cross_side_edges(actors))} links join a China-side actor directly to a Pakistan-side one.")

# %%
cross_side_edges(actors)

# %% [markdown]
# ## Each country's neighbourhood
#
# Ego networks: every actor directly linked to China, and to Pakistan.

# %%
for country in ("china", "pakistan"):
    ego = actors.ego(country)
    network_figure(ego, table, layout(ego), f"Ego network of {table.set_index('entity_id').loc[country, 'name']}",
                   labels=40, height=620).show()

# %%
china, pakistan = (set(actors.ego(c).graph) - {c} for c in ("china", "pakistan"))
Markdown(f"China has {len(china)} neighbours and Pakistan {len(pakistan)}; {len(china & pakistan)} actors neighbour both. "
         "In reporting about the two countries' cooperation, nearly every actor is tied to both: "
         "the neighbourhoods differ mainly at their edges.")

# %% [markdown]
# ## What co-mention adds to the curated relations
#
# Co-mention finds pairs the curated relations do not state: actors that the reporting keeps
# together without saying how they are linked. They are leads for curation, not facts.

# %%
extra = co_mention_only_pairs(actors)
Markdown(f"{len(extra)} of the {kinds['co-mention']} co-mention pairs have no curated relation; "
         f"{int((extra.sentences > 1).sum())} of them recur in more than one sentence.")

# %%
extra[["actor_a", "actor_b", "sentences", "first_sentence"]].head(12)

# %%
network_figure(actors.kind("relation"), table, layout(actors), "Curated relations only", labels=40,
               height=640).show()

# %% [markdown]
# ## Communities
#
# Louvain communities (fixed seed) on the combined network.

# %%
table.groupby("community").agg(actors=("name", lambda s: ", ".join(sorted(s))), size=("name", "size"))

# %% [markdown]
# The graph is exported with all attributes to `reports/data/network.graphml`, `network.gexf`
# (Gephi) and `network.json` (node-link, for D3), and the metrics to `network_metrics.csv`.
