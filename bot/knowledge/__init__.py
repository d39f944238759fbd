"""Answering staff questions: the HR articles (content), the search engine and its ranker, the answers,
unanswered questions and feedback counts."""
