"""Validating a build's graph: SHACL and the violation queries, with HermiT alongside, and
the report of data that could not be read at all (the `validate` command, and the build)."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from diplograph.cli.incremental import Plan, ReusedHermit
from diplograph.loaders.errors import Problem
from diplograph.ontology.abox_delta import Summary
from diplograph.ontology.reasoning import check_consistency_store
from diplograph.shapes.focused import Change
from diplograph.shapes.support import support_refusal
from diplograph.shapes.validation import validate_store as shacl

#: What a build's manifest keeps of its validation for the next incremental build.
VALIDATION_RECORDS = ("owl_input", "owl_summary", "shacl_core", "evidence")


class BuildError(Exception):
    """A build refused: carries the report, and nothing was published."""

    def __init__(self, message: str, report: dict | None = None):
        super().__init__(message)
        self.report = report or {}


def validate_store(
    store,
    *,
    owl: bool = True,
    progress=lambda _m: None,
    hermit=None,
    change=None,
    records=None,
    schema=None,
) -> dict:
    """SHACL shapes and violation queries, with HermiT's OWL check alongside.

    HermiT runs in its own JVM, so a thread waiting on it lets SHACL use the other core.
    `store` is an Oxigraph store holding the build's named graphs (and, in the build's
    on-disk store, their merge as the default graph: the validators give the same results
    either way, which tests/test_build.py checks). `hermit`, if given, stands in for
    running HermiT (see check_consistency_store). `change` and `records`: an incremental
    build's change with the last build's records, and what this one keeps for the next
    (shapes/validation.py's validate_store; "owl_summary", the summary HermiT read, which
    the next incremental build updates instead of reading the store: abox_delta.py).
    `schema`: the ontology's Schema read from the store this one was copied from (the
    report's "owl" then gives, under `records["owl_schema"]`, the one used).
    """
    found: dict = {}
    last = change.last.get("owl_summary") if change is not None else None
    since = (Summary.from_record(last), *change.triples) if last is not None else None

    def reason():
        try:
            found["owl"] = check_consistency_store(
                store, since=since, schema=schema, **({"hermit": hermit} if hermit else {})
            )
        except BaseException as exc:  # re-raised in the caller's thread below
            found["error"] = exc

    thread = threading.Thread(target=reason, name="hermit", daemon=True)
    if owl:
        progress("Validating: SHACL shapes, and OWL consistency with HermiT alongside...")
        thread.start()
    else:
        progress("Validating: SHACL shapes...")
    report = shacl(store, change=change, records=records)
    if owl:
        thread.join()
        if "error" in found:
            raise found["error"]
        result = found["owl"]
        report["owl"] = {
            "consistent": result.consistent,
            "unsatisfiable": result.unsatisfiable,
            "explanation": result.explanation,
            "text": result.text(),
        }
        report["conforms"] = report["conforms"] and result.ok
        if records is not None and result.summary is not None:
            records["owl_summary"] = result.summary.record()
        if records is not None:
            records["owl_schema"] = result.schema  # not for the manifest: see cli/build.py
    return report


def curation_report(problems: list[Problem]) -> dict:
    """The validation report of data that could not be read: each problem a violation
    (file, line, rule, message), so the JSON and HTML reports carry curation errors too."""
    violations = [
        {
            "file": p.file,
            "line": p.line,
            "rule": p.rule,
            "message": p.message,
            "where": f"{p.file}:{p.line}",
            "severity": "Violation",
        }
        for p in problems
    ]
    return {"conforms": False, "stage": "curation", "violations": violations, "warnings": []}


def refuse_if_invalid(report: dict) -> None:
    """A build with any violation, or too little evidence support, raises with the report."""
    refusal = support_refusal(report)
    if refusal and report["conforms"]:
        raise BuildError(refusal, report)
    if not report["conforms"]:
        owl = report.get("owl", {})
        failed_owl = not owl.get("consistent", True) or owl.get("unsatisfiable")
        raise BuildError(owl["text"] if failed_owl else "SHACL validation failed", report)


def validation_stage(
    store_dir: Path, validate: bool, followed: Plan | None, progress, ontology=None, schema=None
) -> tuple[dict, object]:
    """The build's validation stage: the manifest's validation report and what the next
    build keeps of it (the last build's when its graph was not changed, else from
    validating the store: on what the change can affect, when the last build kept its
    records; reusing HermiT's answer when it is given the same triples); and the OWL
    Schema used, for the next build copied from this one. `ontology`: the ontology
    graph's lines; `schema`: the Schema of the store this one was copied from."""
    opened = followed.store if followed is not None else None  # validated() closes it
    if followed is not None:
        followed.store = None
    if followed is not None and not followed.changed:
        previous = followed.manifest
        kept = {k: previous[k] for k in VALIDATION_RECORDS if k in previous}
        return {"validation": previous["validation"], **kept}, schema
    hermit = ReusedHermit(followed.manifest.get("owl_input") if followed else None)
    change, records = None, {"owl_schema": None}
    if followed is not None:
        last = {k: followed.manifest[k] for k in VALIDATION_RECORDS if k in followed.manifest}
        change = Change(*followed.merge, graphs=followed.changed, last=last, ontology=ontology)
    else:
        schema = None  # a fresh store: its blank nodes are its own
    report = validated(store_dir, validate, progress, hermit, change, records, opened, schema)
    used = records.pop("owl_schema")
    return {"validation": report, "owl_input": hermit.record, **records}, used


def validated(
    store_dir: Path,
    validate: bool,
    progress,
    hermit=None,
    change=None,
    records=None,
    opened=None,
    schema=None,
):
    """The loaded store's validation report; raise BuildError if it finds any violation.
    `change` and `records`: validation of what an incremental build's change can affect,
    and what this build keeps for the next (validate_store); `opened`: the store already
    open (closed here all the same, before the build directory is renamed)."""
    if not validate:
        return {"conforms": True, "skipped": True}
    loaded = opened if opened is not None else ox.Store(str(store_dir))
    del opened
    try:
        report = validate_store(
            loaded, progress=progress, hermit=hermit, change=change, records=records, schema=schema
        )
    finally:
        del loaded
    refuse_if_invalid(report)
    return report
