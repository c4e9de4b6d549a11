"""RDF exports of a build: the dump writers, VoID and DCAT, release diffs."""
