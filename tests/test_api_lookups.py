"""Lookups over HTTP give what the library gives: search, entity card, owners, portfolio,
dependencies — through a real server over a copy of the sample store."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest


@pytest.fixture(scope="module")
def client(api_server):
    server = api_server()
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def _same(api_answer, library_answer):
    """Compare through JSON, as the API returns it."""
    assert api_answer == json.loads(json.dumps(library_answer, ensure_ascii=False))


@pytest.mark.parametrize("params", [
    {"q": "科委"},
    {"q": "区科委"},
    {"q": "委", "type": "GovernmentBody"},
    {"q": "委", "type": ["GovernmentBody", "Platform"]},
    {"q": "科学技术 委员会"},  # words: all must occur among one entity's names
])
def test_api_entity_search_is_the_library_search(client, sample_kg, params):
    from policykg.graph.lookup import search_entities

    r = client.get("/entities", params=params)
    assert r.status_code == 200, r.text
    types = params.get("type")
    types = [types] if isinstance(types, str) else types
    expected = [h.to_dict() for h in search_entities(sample_kg, params["q"], types=types, limit=20)]
    assert expected, "the sample has matches"
    _same(r.json()["hits"], expected)


def test_api_entity_search_finds_区科委_by_a_substring_of_its_full_name(client):
    hits = client.get("/entities", params={"q": "科学技术委员会"}).json()["hits"]
    assert hits[0]["label"] == "区科委" and hits[0]["full_name"] == "上海市普陀区科学技术委员会"


@pytest.mark.parametrize("params, status", [
    ({"q": ""}, 422), ({}, 422), ({"q": "委", "type": "NoSuchType"}, 400), ({"q": "委", "limit": 0}, 422),
])
def test_api_entity_search_bad_requests(client, params, status):
    r = client.get("/entities", params=params)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("ref", ["区科委", "上海市普陀区科学技术委员会",
                                 "https://w3id.org/policykg/id/org/上海市普陀区科学技术委员会"])
def test_api_entity_card_by_name_full_name_or_iri(client, sample_kg, ref):
    from policykg.graph.lookup import entity_card

    r = client.get(f"/entities/{quote(ref, safe='')}")
    assert r.status_code == 200, r.text
    card = r.json()
    _same(card, entity_card(sample_kg, ref))
    assert card["label"] == "区科委" and card["type"] == "GovernmentBody"
    assert card["incoming"], "actions point at the unit"


def test_api_entity_card_ambiguous_name_lists_candidates(client):
    r = client.get("/entities/委")
    assert r.status_code == 409
    body = r.json()
    assert r.headers["content-type"].startswith("application/problem+json")
    assert len(body["candidates"]) >= 2 and all("iri" in c for c in body["candidates"])


def test_api_entity_card_unknown_name_is_404(client):
    r = client.get("/entities/" + quote("完全不存在的单位名称", safe=""))
    assert r.status_code == 404 and r.json()["title"] == "Not found"


@pytest.mark.parametrize("direction, depth", [("down", 1), ("down", 2), ("up", 2), ("both", 1)])
def test_api_dependencies_are_the_library_traversal(client, sample_kg, direction, depth):
    from policykg.graph.deps import dependencies

    r = client.get("/entities/区科委/dependencies", params={"direction": direction, "depth": depth})
    assert r.status_code == 200, r.text
    got = r.json()
    _same(got, dependencies(sample_kg, "区科委", direction, depth).to_dict())
    for p in got["paths"]:  # each path explains itself: labelled edges, root → node
        assert p["nodes"][0] == got["root"]["iri"] and p["nodes"][-1] == p["node"]
        assert len(p["edges"]) == p["depth"] <= depth


def test_api_dependencies_down_from_区科委_reach_its_actions(client, sample_kg):
    got = client.get("/entities/区科委/dependencies", params={"direction": "down", "depth": 1}).json()
    actions = {r["s"] for r in sample_kg.query(
        "SELECT DISTINCT ?s WHERE { ?s a pk:Action ; pk:responsibleUnit/rdfs:label '区科委' }")}
    reached = {p["node"] for p in got["paths"]}
    assert actions and actions <= reached


@pytest.mark.parametrize("params", [{"direction": "sideways"}, {"depth": 0}, {"depth": 99}])
def test_api_dependencies_bad_parameters(client, params):
    r = client.get("/entities/区科委/dependencies", params=params)
    assert r.status_code == 422 and r.json()["status"] == 422


def test_api_owners_of_an_action(client, sample_kg):
    from policykg.graph.lookup import owners_of

    action = sample_kg.query("SELECT ?s WHERE { ?s a pk:Action ; pk:responsibleUnit/rdfs:label '区科委' } "
                             "ORDER BY ?s LIMIT 1")[0]["s"]
    r = client.get("/entities/" + quote(action, safe="") + "/owners")
    assert r.status_code == 200, r.text
    body = r.json()
    _same(body["owners"], owners_of(sample_kg, action))
    assert "区科委" in {o["label"] for o in body["owners"]}
    assert all(o["explanation"] for o in body["owners"])


def test_api_unit_portfolio_is_the_named_query(client, sample_kg):
    from policykg.graph.lookup import unit_portfolio

    r = client.get("/units/区科委/portfolio")
    assert r.status_code == 200, r.text
    rows = r.json()["portfolio"]
    _same(rows, unit_portfolio(sample_kg, "区科委"))
    assert rows and {row["owner"] for row in rows} == {"区科委"}


def test_api_lookup_routes_are_documented(client):
    paths = client.get("/openapi.json").json()["paths"]
    for route in ("/entities", "/entities/{ref}", "/entities/{ref}/owners", "/entities/{ref}/dependencies",
                  "/units/{ref}/portfolio"):
        assert route in paths, route
