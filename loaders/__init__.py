"""Turn curated YAML facts into RDF, validate them and publish a build."""
