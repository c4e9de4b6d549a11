"""Running HermiT through owlready2 on N-Triples, and keeping its verdict in words.

owlready2 does not read Turtle, so the check hands HermiT N-Triples in a
temporary file, in a World of its own that is closed after, so that nothing of
one check lingers into the next.

owlready2 writes HermiT's own input to a temporary file as well, and leaves it behind when
HermiT finds the ontology inconsistent (it deletes it only after a consistent answer): a
few hundred kilobytes a refused build, left for good. So its temporary files go in the
check's own folder, which is removed whatever the answer.
"""

from __future__ import annotations

import re
import tempfile
import threading
from pathlib import Path


class _OwnFolder:
    """Stands for the `tempfile` module inside owlready2's reasoning module: its
    NamedTemporaryFile goes in the folder this thread's check named; the rest is
    `tempfile`'s. Per thread, since the build runs the check beside other work."""

    def __init__(self):
        self.local = threading.local()

    def NamedTemporaryFile(self, *args, **kwargs):  # noqa: N802 (the name owlready2 calls)
        kwargs.setdefault("dir", getattr(self.local, "folder", None))
        return tempfile.NamedTemporaryFile(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(tempfile, name)


_FOLDER = _OwnFolder()


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
    import owlready2.reasoning

    owlready2.reasoning.tempfile = _FOLDER
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        path.write_text("".join(lines), encoding="utf-8")
        world = owlready2.World()
        _FOLDER.local.folder = tmp
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
            _FOLDER.local.folder = None
            world.close()
