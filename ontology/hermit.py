"""Running HermiT through owlready2 on N-Triples, and keeping its verdict in words.

owlready2 does not read Turtle, so the check hands HermiT N-Triples in a
temporary file, in a World of its own that is closed after, so that nothing of
one check lingers into the next.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path


def reasoner_words(message: str) -> str:
    """Keep the reasoner's own words, without the Java stack trace."""
    lines = [ln for ln in message.splitlines() if ln.strip() and not ln.strip().startswith("at ")]
    text = "\n".join(lines[:12])
    return re.sub(r"file:/+\S*tmp\S*", "<graph>", text)


def run_hermit(lines: list[str]) -> tuple[bool, list[str], str]:
    """(consistent, unsatisfiable classes, the reasoner's words when inconsistent)."""
    # deferred: only the OWL check needs owlready2, and importing it sets up its own
    # quadstore; importing this module (the build, the CLI) should not.
    import owlready2

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text("".join(lines), encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            try:
                with world.get_ontology("http://diplograph.invalid/inferences#"):
                    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
            except owlready2.OwlReadyInconsistentOntologyError as exc:
                return False, [], reasoner_words(str(exc))
            except owlready2.base.OwlReadyJavaError as exc:
                if "inconsistent" in str(exc).lower():
                    return False, [], reasoner_words(str(exc))
                raise
            unsat = sorted(
                c.iri for c in world.inconsistent_classes() if c.iri != str(owlready2.Nothing.iri)
            )
            return True, unsat, ""
        finally:
            world.close()
