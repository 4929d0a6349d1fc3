"""Exports over HTTP are the library's exports, byte for byte, in every format."""

from __future__ import annotations

import os
import shutil

import httpx
import pytest

from policykg.graph.export import FORMATS

NEEDS_GRAPHVIZ = {"svg", "png"}


@pytest.fixture(scope="module")
def client(api_server):
    server = api_server()
    with httpx.Client(base_url=server.url, timeout=60) as c:
        yield c


def _library(sample_kg, fmt, **sel):
    from policykg.errors import ExportError
    from policykg.graph.export import export_result

    try:
        return export_result(sample_kg, fmt, **sel)
    except ExportError as e:
        return e


def _cells(data: bytes) -> list[list]:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [[list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets]


def _check(client, sample_kg, fmt, params, sel):
    if fmt in NEEDS_GRAPHVIZ and shutil.which("dot") is None and os.environ.get("POLICYKG_REQUIRE_TOOLS") == "1":
        pytest.fail("Graphviz (dot) is required for the svg/png exports (POLICYKG_REQUIRE_TOOLS=1)")
    expected = _library(sample_kg, fmt, **sel)
    r = client.get(f"/export/{fmt}", params=params)
    if isinstance(expected, Exception):  # e.g. Graphviz missing: the same sentence, as a problem
        assert r.status_code == 400 and r.json()["detail"] == str(expected)
        return
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == expected.media_type
    if fmt == "xlsx":  # the workbook records when it was written: compare the cells
        assert _cells(r.content) == _cells(expected.data) and _cells(r.content)
    else:
        assert r.content == expected.data
    assert int(r.headers["x-policykg-nodes"]) == expected.nodes
    assert int(r.headers["x-policykg-edges"]) == expected.edges
    assert r.headers["content-disposition"].endswith(f'filename="policykg.{FORMATS[fmt].extension}"')


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_api_export_neighbourhood_in_every_format(client, sample_kg, fmt):
    _check(client, sample_kg, fmt, {"entity": "区科委", "depth": 1}, {"entity": "区科委", "depth": 1})


@pytest.mark.parametrize("fmt", ["ttl", "nq", "graphml", "cyjs", "csv"])
def test_api_export_whole_graph(client, sample_kg, fmt):
    _check(client, sample_kg, fmt, {}, {})


@pytest.mark.parametrize("params, sel", [
    ({"unit": "区科委"}, {"unit": "区科委"}),
    ({"document": "普府办〔2022〕16号"}, {"document": "普府办〔2022〕16号"}),
    ({"entity": "区科委", "depth": 2, "types": "Action,GovernmentBody"},
     {"entity": "区科委", "depth": 2, "types": ["Action", "GovernmentBody"]}),
    ({"entity": "区科委", "types": ["Action", "GovernmentBody"]},
     {"entity": "区科委", "types": ["Action", "GovernmentBody"]}),
])
def test_api_export_selections(client, sample_kg, params, sel):
    _check(client, sample_kg, "cyjs", params, sel)


@pytest.mark.parametrize("params, status", [
    ({"unit": "区科委", "entity": "区科委"}, 400),
    ({"depth": 2}, 400),
    ({"entity": "委"}, 409),
    ({"types": "NoSuchType"}, 400),
])
def test_api_export_bad_selections_are_problems(client, params, status):
    r = client.get("/export/cyjs", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_api_export_lists_formats_and_refuses_unknown_ones(client):
    listed = {f["name"]: f["media_type"] for f in client.get("/export").json()}
    assert listed == {f.name: f.media_type for f in FORMATS.values()}
    r = client.get("/export/nope")
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert "/export/{fmt}" in client.get("/openapi.json").json()["paths"]
