"""Load the SKOS claim vocabulary, the evidence-level mapping and the ontology from ``ontology/``.

``load_vocabulary()`` reads ``ontology/vocabulary-ldn.ttl`` (or a user file of the same
shape, ``--vocabulary FILE.ttl``) into a :class:`~ldn_graph.model.Vocabulary`;
``load_level_rules()`` reads ``ontology/evidence-levels.ttl`` into :class:`LevelRules`;
``ontology_graph()`` and ``shapes_graph()`` give the schema and the SHACL shapes as rdflib
graphs. Every problem with a file is an :class:`~ldn_graph.errors.OntologyError` whose
one-line message names the file, says what is wrong and what to do.

``turtle`` reads and parses the files, ``vocabulary`` and ``levels`` turn them into model
data; this package sits below ``extract`` and ``judge`` and imports neither.
"""
