"""The dependency model: which edges mean "depends on", and the traversal.

:data:`RULES` is the one place in code that says what depends on what (the
ontology declares the same as sub-properties and chains of ``pk:dependsOn``):

=====================  ====================================================
edge (dependent → it)  when
=====================  ====================================================
stated in              a target depends on the section or action it is stated in
led by / supported by  an action or section depends on its lead / supporting units
responsibility of      … and on responsible units whose role the text does not state
relies on              an action depends on what it relies on (依托/依靠/基于)
built by               a built thing depends on the action that builds it, and so
                       is owned by that action's units (two steps: built by, then led by …)
part of                a section depends on its parent when the parent states a lead
                       unit (the path part of → led by is "its parent's lead unit")
=====================  ====================================================

*Down* from a node is what depends on it (for a unit: its actions, then their
targets and what they build, then what relies on those); *up* is what it
depends on.  :func:`dependencies` walks level by level with one SPARQL query
per level, so it costs the same on one document as on ten thousand, and
returns every reached node with the path of labelled edges that explains
why it is there.

>>> [r.key for r in RULES]
['statedIn', 'leadUnit', 'supportingUnit', 'responsibleUnit', 'reliesOn', 'builtBy', 'partOf']
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import networkx as nx

from ..errors import QueryError
from ..ontology.namespaces import DCTERMS, PK
from .network import display_name, iri_values, node_attributes, short_name, sort_key

DIRECTIONS = ("down", "up", "both")


@dataclass(frozen=True)
class DependencyRule:
    """One kind of "depends on" edge, read from the store by a SPARQL pattern.

    ``pattern`` binds ``?dependent`` and ``?dependency`` inside one document
    graph; ``label`` reads from the dependent to what it depends on
    ("2.1.3 *part of* 2.1", "2.1 *led by* 区科委").
    """

    key: str
    label: str
    label_zh: str
    predicate: str  # the ontology term that declares the edge
    pattern: str


RULES: tuple[DependencyRule, ...] = (
    DependencyRule("statedIn", "stated in", "所在条目", PK.statedIn,
                   "?dependent pk:statedIn ?dependency ."),
    DependencyRule("leadUnit", "led by", "牵头单位", PK.leadUnit,
                   "?dependent pk:leadUnit ?dependency ."),
    DependencyRule("supportingUnit", "supported by", "配合单位", PK.supportingUnit,
                   "?dependent pk:supportingUnit ?dependency ."),
    DependencyRule("responsibleUnit", "responsibility of", "责任单位", PK.responsibleUnit,
                   "?dependent pk:responsibleUnit ?dependency . "
                   "FILTER NOT EXISTS { ?dependent pk:leadUnit|pk:supportingUnit ?dependency }"),
    DependencyRule("reliesOn", "relies on", "依托", PK.reliesOn,
                   "?dependent pk:reliesOn ?dependency ."),
    DependencyRule("builtBy", "built by", "建设方", PK.builtBy,
                   "?dependency pk:builds ?dependent ."),
    DependencyRule("partOf", "part of", "隶属", DCTERMS.isPartOf,
                   "?dependent dcterms:isPartOf ?dependency . ?dependency pk:leadUnit ?lead ."),
)
RULE = {r.key: r for r in RULES}
OWNERSHIP_RULES = ("statedIn", "builtBy", "partOf", "leadUnit", "supportingUnit", "responsibleUnit")
"""The rules that carry ownership (everything but *relies on*): see :func:`policykg.graph.lookup.owners_of`."""

_NO_LIMIT = sys.maxsize


def _rules(keys) -> tuple[DependencyRule, ...]:
    if keys is None:
        return RULES
    unknown = set(keys) - set(RULE)
    if unknown:
        raise QueryError(f"Unknown dependency rule {sorted(unknown)[0]!r}; the rules are: {', '.join(RULE)}.")
    return tuple(RULE[k] for k in keys)


def edges_query(rules=RULES, *, bound: str | None = None, iris=(), documents=None) -> str:
    """The SPARQL that lists dependency edges (``?dependent ?dependency ?rule ?g``).

    ``bound`` = ``"dependent"`` or ``"dependency"`` restricts that end to ``iris``
    (one level of a traversal); the VALUES block sits inside every branch so
    each branch starts from the index.
    """
    values = f"VALUES ?{bound} {{ {iri_values(iris)} }} " if bound else ""
    if documents:
        values += f"VALUES ?g {{ {iri_values(documents)} }} "
    branches = [f'{{ {values}GRAPH ?g {{ {r.pattern} }} BIND("{r.key}" AS ?rule) }}' for r in rules]
    return "SELECT DISTINCT ?dependent ?dependency ?rule ?g WHERE {\n  " + "\n  UNION ".join(branches) + "\n}"


def _add_edge(g: nx.MultiDiGraph, row: dict) -> None:
    r = RULE[row["rule"]]
    g.add_edge(row["dependent"], row["dependency"], key=r.key, label=r.label, label_zh=r.label_zh,
               predicate=r.predicate, document=row["g"])


def dependency_graph(kg, *, documents: list[str] | None = None, rules=None) -> nx.MultiDiGraph:
    """The whole dependency graph (edges dependent → dependency) with node attributes."""
    rows = kg.query(edges_query(_rules(rules), documents=documents), limit=_NO_LIMIT).values()
    g = nx.MultiDiGraph()
    for row in sorted(rows, key=lambda r: (r["dependent"], r["dependency"], r["rule"])):
        _add_edge(g, row)
    for n, a in node_attributes(kg, list(g.nodes)).items():
        g.nodes[n].update(a)
    return g


# ---------------------------------------------------------------- traversal


@dataclass
class Step:
    """One edge on a path, oriented as the dependency: ``dependent`` depends on ``dependency``."""

    dependent: str
    dependency: str
    rule: str
    document: str

    @property
    def label(self) -> str:
        return RULE[self.rule].label

    def to_dict(self) -> dict:
        r = RULE[self.rule]
        return {"dependent": self.dependent, "dependency": self.dependency, "label": r.label,
                "label_zh": r.label_zh, "predicate": r.predicate, "document": self.document}


@dataclass
class DependencyPath:
    """How one node is reached from the root: the nodes and the labelled edges between them."""

    direction: str  # "down" (the node depends on the root) or "up" (the root depends on it)
    nodes: list[str]  # root … node
    steps: list[Step]

    @property
    def node(self) -> str:
        return self.nodes[-1]

    @property
    def depth(self) -> int:
        return len(self.steps)


@dataclass
class Dependencies:
    """The answer of :func:`dependencies`: the root, every reached node and the path to it."""

    root: str
    direction: str
    depth: int
    paths: list[DependencyPath]
    nodes: dict[str, dict]  # IRI → attributes (label, type, document, path …)
    graph: nx.MultiDiGraph = field(repr=False)  # every edge met on the way, dependent → dependency
    truncated: bool = False

    def name(self, iri: str) -> str:
        return display_name(self.nodes.get(iri, {"label": iri}))

    def explain(self, path: DependencyPath) -> str:
        """``2.1.3 数字金融新供给 —part of→ 2.1 … —led by→ 区科委``: always read from the dependent to what
        it depends on (so a down path reads from the node back to the root)."""
        steps = path.steps if path.direction == "up" else list(reversed(path.steps))
        if not steps:
            return self.name(path.node)
        parts = [self.name(steps[0].dependent)]
        for s in steps:
            parts.append(f"—{s.label}→ {self.name(s.dependency)}")
        return " ".join(parts)

    def to_dict(self) -> dict:
        """JSON-ready: the root, the nodes and one path per reached node."""
        return {
            "root": {"iri": self.root, **self.nodes.get(self.root, {})},
            "direction": self.direction,
            "depth": self.depth,
            "truncated": self.truncated,
            "nodes": {k: v for k, v in self.nodes.items()},
            "paths": [{"direction": p.direction, "depth": p.depth, "node": p.node, "name": self.name(p.node),
                       "type": self.nodes.get(p.node, {}).get("type", ""), "nodes": p.nodes,
                       "edges": [s.to_dict() for s in p.steps], "explanation": self.explain(p)}
                      for p in self.paths],
        }

    def rows(self) -> list[dict]:
        """One flat row per reached node (for CSV)."""
        out = []
        for p in self.paths:
            last = p.steps[-1]
            parent = p.nodes[-2]
            a = self.nodes.get(p.node, {})
            out.append({"direction": p.direction, "depth": p.depth, "iri": p.node, "name": self.name(p.node),
                        "type": a.get("type", ""), "document": a.get("document", ""), "edge": last.label,
                        "parent": parent, "parent_name": self.name(parent), "explanation": self.explain(p)})
        return out

    def tree(self) -> str:
        """The paths as an indented tree; each line says how the node relates to the line above it."""
        root = self.nodes.get(self.root, {})
        head = f"{self.name(self.root)}  ({root.get('type', '?')}"
        head += f" · {root['full_name']})" if root.get("full_name") and root["full_name"] != root.get("label") else ")"
        lines = [head]
        for direction in ("down", "up"):
            paths = [p for p in self.paths if p.direction == direction]
            if self.direction not in (direction, "both"):
                continue
            what = "depends on it" if direction == "down" else "it depends on"
            lines.append(f"{'↓' if direction == 'down' else '↑'} what {what} "
                         f"(depth {self.depth}): {len(paths)} node{'s' if len(paths) != 1 else ''}")
            children: dict[str, list[DependencyPath]] = {}
            for p in paths:
                children.setdefault(p.nodes[-2], []).append(p)
            self._branch(lines, children, self.root, "")
        if self.truncated:
            lines.append("… stopped early: the traversal reached the result limit (POLICYKG_RESULT_LIMIT).")
        return "\n".join(lines)

    def _branch(self, lines: list[str], children: dict, parent: str, indent: str) -> None:
        kids = children.get(parent, [])
        for i, p in enumerate(kids):
            last = i == len(kids) - 1
            s = p.steps[-1]
            a = self.nodes.get(p.node, {})
            pa = self.nodes.get(parent, {"label": parent})
            if p.direction == "down":
                rel = f"—{s.label}→ {short_name(pa)}"
            else:
                rel = f"←{s.label}— {short_name(pa)}"
            lines.append(f"{indent}{'└── ' if last else '├── '}{self.name(p.node)}  ({a.get('type', '?')})  {rel}")
            self._branch(lines, children, p.node, indent + ("    " if last else "│   "))


def dependencies(kg, entity, direction: str = "down", depth: int = 3, *, rules=None,
                 max_nodes: int | None = None) -> Dependencies:
    """What depends on ``entity`` (down), what it depends on (up), or both, to ``depth`` edges.

    ``entity`` is an IRI, a name as written (区科委), a full name or a search
    term, resolved by :func:`policykg.graph.lookup.resolve_entity` (which
    raises :class:`~policykg.errors.NotFound` or
    :class:`~policykg.errors.Ambiguous` with the candidates).  Each reached
    node comes with one shortest path of labelled edges; ties go to the
    parent that comes first in document order.
    """
    from .lookup import resolve_entity

    if direction not in DIRECTIONS:
        raise QueryError(f"The direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}.")
    if not isinstance(depth, int) or depth < 1:
        raise QueryError(f"The depth must be a whole number of at least 1, not {depth!r}.")
    root = resolve_entity(kg, entity).iri
    chosen = _rules(rules)
    limit = max_nodes or kg.settings.result_limit
    g = nx.MultiDiGraph()
    nodes = node_attributes(kg, [root])
    paths: list[DependencyPath] = []
    truncated = False
    for d in ("down", "up") if direction == "both" else (direction,):
        seen = {root: DependencyPath(d, [root], [])}
        frontier = [root]
        for _ in range(depth):
            if not frontier:
                break
            bound = "dependency" if d == "down" else "dependent"
            rows = kg.query(edges_query(chosen, bound=bound, iris=frontier), limit=_NO_LIMIT).values()
            for row in rows:
                _add_edge(g, row)
            new = {row["dependent"] if d == "down" else row["dependency"] for row in rows} - set(seen)
            nodes.update(node_attributes(kg, new))
            order = {n: i for i, n in enumerate(frontier)}
            rank = {r.key: i for i, r in enumerate(RULES)}
            # each new node hangs under the earliest parent (document order), then the first rule
            best: dict[str, dict] = {}
            for row in rows:
                child, parent = (row["dependent"], row["dependency"]) if d == "down" else \
                    (row["dependency"], row["dependent"])
                if child not in new:
                    continue
                key = (order[parent], rank[row["rule"]], row["g"])
                if child not in best or key < best[child]["key"]:
                    best[child] = {"key": key, "parent": parent, "row": row}
            frontier = sorted(best, key=lambda n: sort_key(n, nodes.get(n, {})))
            if len(seen) + len(frontier) > limit:
                frontier = frontier[:max(0, limit - len(seen))]
                truncated = True
            for child in frontier:
                b = best[child]
                row = b["row"]
                prev = seen[b["parent"]]
                step = Step(row["dependent"], row["dependency"], row["rule"], row["g"])
                seen[child] = DependencyPath(d, prev.nodes + [child], prev.steps + [step])
            if truncated:
                break
        paths += [p for p in seen.values() if p.steps]
    for n in g.nodes:
        if n in nodes:
            g.nodes[n].update(nodes[n])
    paths.sort(key=lambda p: (0 if p.direction == "down" else 1, p.depth,
                              [sort_key(n, nodes.get(n, {})) for n in p.nodes]))
    return Dependencies(root=root, direction=direction, depth=depth, paths=paths, nodes=nodes, graph=g,
                        truncated=truncated)


__all__ = ["RULES", "RULE", "OWNERSHIP_RULES", "DIRECTIONS", "DependencyRule", "Dependencies", "DependencyPath",
           "Step", "dependencies", "dependency_graph", "edges_query"]
