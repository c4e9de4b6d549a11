"""Validating a build's graph: SHACL and the violation queries, with HermiT alongside, and
the report of data that could not be read at all (the `validate` command, and the build)."""

from __future__ import annotations

import threading

from diplograph.loaders.errors import Problem
from diplograph.ontology.abox_delta import Summary
from diplograph.ontology.reasoning import check_consistency_store
from diplograph.shapes.validation import validate_store as shacl


def validate_store(
    store, *, owl: bool = True, progress=lambda _m: None, hermit=None, change=None, records=None
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
    """
    found: dict = {}
    last = change.last.get("owl_summary") if change is not None else None
    since = (Summary.from_record(last), *change.triples) if last is not None else None

    def reason():
        try:
            found["owl"] = check_consistency_store(
                store, since=since, **({"hermit": hermit} if hermit else {})
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
