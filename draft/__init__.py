"""Drafting: turn an article's plain text into candidate facts for a curator to review.

Nothing here publishes anything: a draft is a YAML file beside the curated data
(`data/drafts/<id>.yaml`) that the build never reads, until `promote` validates it
and moves it into `data/facts/`.
"""
