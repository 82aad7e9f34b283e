"""ldn_graph.ontology: the built-in LDN vocabulary, a user vocabulary, the evidence-level
mapping, and the errors for broken files."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from ldn_graph.errors import OntologyError
from ldn_graph.extract.claims import extract_claims
from ldn_graph.model import Concept, Vocabulary
from ldn_graph.ontology.levels import LevelRules, load_level_rules
from ldn_graph.ontology.turtle import local_name, mesh_ui
from ldn_graph.ontology.vocabulary import CLAIM_TYPE_IRIS, load_vocabulary
from ldn_graph.read.documents import read_text_document
from ldn_graph.resources import examples_dir, ontology_dir
from ldn_graph.terms import ClaimType

DATA = Path(__file__).parent / "data"
LDNV = "https://w3id.org/ldn-graph/vocab/ldn#"
METFORMIN = DATA / "vocabulary-synthetic-metformin.ttl"


@pytest.fixture(scope="module")
def ldn() -> Vocabulary:
    return load_vocabulary()


@pytest.fixture(scope="module")
def levels() -> LevelRules:
    return load_level_rules()


def _by_name(vocabulary: Vocabulary) -> dict[str, Concept]:
    return {c.name: c for c in vocabulary.concepts}


def _fold(term: str) -> str:
    return term.replace("’", "'").casefold()


# --------------------------------------------------------------------------- the built-in vocabulary

# name -> (claim type, MeSH descriptors it must map to): every concept the two example pages assert.
EXPECTED = {
    "OpioidReceptorBlockade": ("mechanism", {"D017450"}),
    "EndorphinRebound": ("mechanism", {"D004723", "D001615", "D004744", "D004745"}),
    "Tlr4Antagonism": ("mechanism", {"D051197"}),
    "CytokineReduction": ("mechanism", {"D016207", "D014409", "D015850"}),
    "TregRestoration": ("mechanism", {"D050378"}),
    "Th1Th2Balance": ("mechanism", {"D058408"}),
    "BCellInhibition": ("mechanism", {"D001402", "D001323"}),
    "Neuroinflammation": ("mechanism", {"D000090862"}),
    "Immunomodulation": ("mechanism", {"D056747"}),
    "AntiInflammatory": ("mechanism", {"D007249"}),
    "Fibromyalgia": ("indication", {"D005356"}),
    "CrohnDisease": ("indication", {"D003424"}),
    "MultipleSclerosis": ("indication", {"D009103"}),
    "HashimotoThyroiditis": ("indication", {"D050031"}),
    "RheumatoidArthritis": ("indication", {"D001172"}),
    "Arthritis": ("indication", {"D001168"}),
    "Lupus": ("indication", {"D008180"}),
    "ComplexRegionalPainSyndrome": ("indication", {"D020918"}),
    "ChronicFatigueSyndrome": ("indication", {"D015673"}),
    "Depression": ("indication", {"D003866"}),
    "ChronicPain": ("indication", {"D059350"}),
    "PainRelief": ("benefit", {"D010146"}),
    "AutoimmuneDisease": ("indication", {"D001327"}),
    "InflammatoryDisorders": ("indication", {"D007249"}),
    "Sleep": ("benefit", {"D012890"}),
    "Mood": ("benefit", {"D000339"}),
    "Cognition": ("benefit", {"D003071"}),
    "Fatigue": ("benefit", {"D005221"}),
    "Tolerability": ("benefit", {"D064420"}),
    "NonAddictive": ("benefit", {"D016739"}),
    "ThyroidAntibodies": ("benefit", {"D001323"}),
    "FlareSeverity": ("benefit", {"D000067251"}),
    "VividDreams": ("safety", {"D004325"}),
    "SleepDisturbance": ("safety", {"D012893", "D007319"}),
    "Headache": ("safety", {"D006261"}),
    "Nausea": ("safety", {"D009325"}),
    "Anxiety": ("safety", {"D001007"}),
    "Restlessness": ("safety", {"D011595"}),
    "MoodChanges": ("safety", {"D000339"}),
    "AutoimmuneFlare": ("safety", {"D000067251"}),
    "HypothyroidSymptoms": ("safety", {"D007037"}),
    "LiverSafety": ("safety", {"D008107", "D048550"}),
    "PregnancyLactation": ("safety", {"D011247", "D007774"}),
    "Hypersensitivity": ("safety", {"D004342"}),
    "OpioidUse": ("contraindication", {"D000701"}),
    "LowDoseRange": ("dosing", {"D004305"}),
}


def test_builtin_vocabulary_has_the_expected_concepts(ldn: Vocabulary) -> None:
    concepts = _by_name(ldn)
    assert set(EXPECTED) <= set(concepts)
    for name, (claim_type, mesh) in EXPECTED.items():
        concept = concepts[name]
        assert concept.iri == LDNV + name
        assert concept.claim_type == claim_type, name
        assert mesh <= set(concept.mesh), (name, concept.mesh)
        assert concept.label and concept.definition, name


def test_broader_concepts_are_read(ldn: Vocabulary) -> None:
    by = {c.name: c for c in ldn.concepts}
    assert by["CrohnDisease"].broader == (by["InflammatoryDisorders"].iri,)
    assert set(by["RheumatoidArthritis"].broader) == {by["Arthritis"].iri, by["AutoimmuneDisease"].iri}
    assert by["Fibromyalgia"].broader == ()


def test_exact_matches_come_first(ldn: Vocabulary) -> None:
    concepts = _by_name(ldn)
    assert concepts["Fibromyalgia"].mesh == ("D005356",)
    assert concepts["HashimotoThyroiditis"].mesh == ("D050031", "D013967")  # exact, then broad
    assert concepts["Arthritis"].mesh == ("D001168", "D001172")  # exact, then narrow
    assert concepts["Fibromyalgia"].label == "Fibromyalgia"
    assert concepts["CrohnDisease"].label == "Crohn's disease"


def test_builtin_source_digest_and_product(ldn: Vocabulary) -> None:
    path = ontology_dir() / "vocabulary-ldn.ttl"
    assert ldn.source == "builtin:vocabulary-ldn.ttl"
    assert ldn.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert ldn.subject_label == "naltrexone"
    assert ldn.subject_terms[0] == "naltrexone"
    assert {"LDN", "low-dose naltrexone", "low dose naltrexone"} <= set(ldn.subject_terms)
    assert ldn.subject_mesh == ("D009271",)
    assert ldn.max_dose_mg == 5.0


@pytest.mark.parametrize(
    ("name", "synonyms"),
    [
        ("Tlr4Antagonism", ["TLR-4", "TLR4", "toll-like receptor 4"]),
        ("TregRestoration", ["T-regulatory cells", "T-regulatory cell", "Tregs", "Treg", "T-regs",
                             "regulatory T cells", "regulatory T-cells"]),
        ("ChronicFatigueSyndrome", ["CFS/ME", "ME/CFS", "myalgic encephalomyelitis", "chronic fatigue"]),
        ("OpioidReceptorBlockade", ["μ-opioid", "mu-opioid", "opioid receptor blockade",
                                    "blocks opioid receptors", "temporarily block opioid receptors"]),
        ("CytokineReduction", ["TNF-α", "TNF-alpha", "tumor necrosis factor", "IL-6", "interleukin-6",
                               "pro-inflammatory cytokines", "inflammatory cytokines"]),
        ("HashimotoThyroiditis", ["Hashimoto's", "Hashimoto’s", "Hashimoto thyroiditis",
                                  "Hashimoto’s thyroiditis"]),
        ("CrohnDisease", ["Crohn's", "Crohn’s", "Crohn disease", "Crohn’s disease"]),
        ("EndorphinRebound", ["β-endorphin", "beta-endorphin", "met-enkephalin", "enkephalins",
                              "upregulate endorphin production"]),
        ("Lupus", ["lupus", "SLE"]),
        ("AutoimmuneDisease", ["autoimmune diseases", "autoimmune conditions", "autoimmune disorders"]),
        ("OpioidUse", ["opioid pain medications", "current opioid use", "opioid analgesia",
                       "opioid withdrawal"]),
        ("Cognition", ["Cognitive clarity", "brain fog"]),
        ("ComplexRegionalPainSyndrome", ["CRPS"]),
    ],
)
def test_synonyms_from_the_copy_are_present(ldn: Vocabulary, name: str, synonyms: list[str]) -> None:
    concept = _by_name(ldn)[name]
    for synonym in synonyms:
        assert synonym in concept.terms, (name, synonym)


def test_short_ambiguous_abbreviations_are_case_sensitive(ldn: Vocabulary) -> None:
    concepts = _by_name(ldn)
    assert concepts["MultipleSclerosis"].case_sensitive == ("MS",)
    assert set(concepts["ChronicFatigueSyndrome"].case_sensitive) == {"CFS", "ME"}
    assert concepts["Lupus"].case_sensitive == ("SLE",)
    for concept in ldn.concepts:
        assert set(concept.case_sensitive) <= set(concept.synonyms)
    # no short abbreviation is also an ordinary (case-insensitive) label anywhere
    ordinary = {
        _fold(t) for c in ldn.concepts for t in c.terms if t not in c.case_sensitive
    }
    assert not {"ms", "me", "sle", "cfs", "ra"} & ordinary


def test_possessive_labels_have_both_apostrophes(ldn: Vocabulary) -> None:
    for concept in ldn.concepts:
        terms = set(concept.terms)
        for term in terms:
            if "'" in term:
                assert term.replace("'", "’") in terms, term
            if "’" in term:
                assert term.replace("’", "'") in terms, term


def test_no_label_names_two_concepts(ldn: Vocabulary) -> None:
    owner: dict[str, str] = {}
    for concept in ldn.concepts:
        for term in concept.terms:
            key = term if term in concept.case_sensitive else _fold(term)
            assert owner.setdefault(key, concept.name) == concept.name, term


# Phrases copied from the two example pages, and the concept each must name.
PAGE_PHRASES = {
    "000_672ef885818ac143.txt": [
        ("temporarily blocks opioid receptors", "OpioidReceptorBlockade"),
        ("transient opioid receptor blockade", "OpioidReceptorBlockade"),
        ("upregulate endorphin production", "EndorphinRebound"),
        ("β-endorphin", "EndorphinRebound"),
        ("met-enkephalin", "EndorphinRebound"),
        ("TNF-α", "CytokineReduction"),
        ("IL-6", "CytokineReduction"),
        ("regulatory T-cells", "TregRestoration"),
        ("TLR-4", "Tlr4Antagonism"),
        ("toll-like receptor 4", "Tlr4Antagonism"),
        ("neuroinflammation", "Neuroinflammation"),
        ("immune-calming", "Immunomodulation"),
        ("anti-inflammatory", "AntiInflammatory"),
        ("Hashimoto’s", "HashimotoThyroiditis"),
        ("MS", "MultipleSclerosis"),
        ("Crohn’s", "CrohnDisease"),
        ("lupus", "Lupus"),
        ("rheumatoid arthritis", "RheumatoidArthritis"),
        ("arthritis", "Arthritis"),
        ("fibromyalgia", "Fibromyalgia"),
        ("CFS/ME", "ChronicFatigueSyndrome"),
        ("Chronic fatigue", "ChronicFatigueSyndrome"),
        ("depression", "Depression"),
        ("mood disorders", "Depression"),
        ("low mood", "Depression"),
        ("chronic pain", "ChronicPain"),
        ("autoimmune diseases", "AutoimmuneDisease"),
        ("Inflammatory conditions", "InflammatoryDisorders"),
        ("sleep", "Sleep"),
        ("mood", "Mood"),
        ("cognitive clarity", "Cognition"),
        ("brain fog", "Cognition"),
        ("fatigue", "Fatigue"),
        ("flare severity", "FlareSeverity"),
        ("Non-addictive", "NonAddictive"),
        ("well tolerated", "Tolerability"),
        ("thyroid antibody levels", "ThyroidAntibodies"),
        ("Vivid dreams", "VividDreams"),
        ("sleep disturbances", "SleepDisturbance"),
        ("headache", "Headache"),
        ("nausea", "Nausea"),
        ("autoimmune symptoms", "AutoimmuneFlare"),
        ("Anxiety", "Anxiety"),
        ("mood changes", "MoodChanges"),
        ("Restlessness", "Restlessness"),
        ("Hypothyroid symptoms", "HypothyroidSymptoms"),
        ("opioid pain medications", "OpioidUse"),
    ],
    "001_4aaa9d78fd1a3130.txt": [
        ("0.5 mg to 4.5 mg", "LowDoseRange"),
        ("immunomodulatory", "Immunomodulation"),
        ("multiple sclerosis", "MultipleSclerosis"),
        ("Hashimoto’s thyroiditis", "HashimotoThyroiditis"),
        ("Chronic pain syndromes", "ChronicPain"),
        ("complex regional pain syndrome", "ComplexRegionalPainSyndrome"),
        ("Inflammatory disorders", "InflammatoryDisorders"),
        ("Crohn’s disease", "CrohnDisease"),
        ("μ-opioid", "OpioidReceptorBlockade"),
        ("enkephalins", "EndorphinRebound"),
        ("immune system regulation", "Immunomodulation"),
        ("pain perception", "PainRelief"),
        ("TLR4", "Tlr4Antagonism"),
        ("pro-inflammatory cytokines", "CytokineReduction"),
        ("T-regulatory cell", "TregRestoration"),
        ("Th1/Th2 balance", "Th1Th2Balance"),
        ("B-cell", "BCellInhibition"),
        ("autoantibody", "BCellInhibition"),
        ("autoimmune disorders", "AutoimmuneDisease"),
        ("insomnia", "SleepDisturbance"),
        ("Current opioid use", "OpioidUse"),
        ("opioid withdrawal", "OpioidUse"),
        ("opioid analgesia", "OpioidUse"),
        ("hypersensitivity", "Hypersensitivity"),
        ("Liver disease", "LiverSafety"),
        ("hepatic impairment", "LiverSafety"),
        ("Autoimmune flare risk", "AutoimmuneFlare"),
        ("major depressive disorder", "Depression"),
        ("Pregnant", "PregnancyLactation"),
        ("lactating", "PregnancyLactation"),
    ],
}


@pytest.mark.parametrize("page", sorted(PAGE_PHRASES))
def test_phrases_of_the_example_pages_name_their_concepts(ldn: Vocabulary, page: str) -> None:
    text = (examples_dir() / page).read_text(encoding="utf-8")
    concepts = _by_name(ldn)
    for phrase, name in PAGE_PHRASES[page]:
        assert re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text), (page, phrase)
        concept = concepts[name]
        if phrase in concept.case_sensitive:
            continue
        assert _fold(phrase) in {_fold(t) for t in concept.terms}, (phrase, name)


def test_every_concept_is_asserted_by_an_example_page() -> None:
    named = {name for phrases in PAGE_PHRASES.values() for _, name in phrases}
    assert named == set(EXPECTED)


# --------------------------------------------------------------------------- a user vocabulary


def test_a_vocabulary_for_another_product_loads() -> None:
    vocabulary = load_vocabulary(METFORMIN)
    assert vocabulary.source == str(METFORMIN)
    assert vocabulary.sha256 == hashlib.sha256(METFORMIN.read_bytes()).hexdigest()
    assert vocabulary.subject_label == "metformin"
    assert vocabulary.subject_terms == ("metformin", "Glucophage", "metformin hydrochloride")
    assert vocabulary.subject_mesh == ("D008687",)  # written as https:// in the file
    assert vocabulary.max_dose_mg is None
    concepts = _by_name(vocabulary)
    assert set(concepts) == {
        "Type2Diabetes", "Pcos", "AmpkActivation", "GlycemicControl", "LacticAcidosis",
        "B12Deficiency", "Diarrhea", "RenalImpairment",
    }
    t2d = concepts["Type2Diabetes"]
    assert t2d.iri == "https://example.org/vocab/metformin#Type2Diabetes"
    assert t2d.label == "Type 2 diabetes"  # the @en label, not the @de one
    assert t2d.claim_type == "indication"
    assert t2d.mesh == ("D003924",)
    assert t2d.case_sensitive == ("T2D", "T2DM")
    assert t2d.synonyms == ("type 2 diabetes mellitus", "type II diabetes", "T2D", "T2DM")
    glycemic = concepts["GlycemicControl"]
    assert glycemic.claim_type == "benefit"
    assert glycemic.mesh == ("D001786", "D006442")
    assert "glycaemic control" in glycemic.synonyms
    assert glycemic.definition == "Claims that metformin lowers blood glucose."
    assert concepts["AmpkActivation"].mesh == ("D055372", "D005943")  # close, then related
    assert concepts["RenalImpairment"].claim_type == "contraindication"


def test_a_path_string_works_too() -> None:
    assert load_vocabulary(str(METFORMIN)).concepts == load_vocabulary(METFORMIN).concepts


def test_helpers() -> None:
    assert mesh_ui("http://id.nlm.nih.gov/mesh/D005356") == "D005356"
    assert mesh_ui("https://id.nlm.nih.gov/mesh/D000078182") == "D000078182"
    assert mesh_ui("http://id.nlm.nih.gov/mesh/Q000175") is None
    assert mesh_ui("http://example.org/D005356") is None
    assert local_name("https://w3id.org/ldn-graph/vocab/ldn#Fibromyalgia") == "Fibromyalgia"
    assert local_name("https://example.org/concepts/Fibromyalgia") == "Fibromyalgia"
    assert set(CLAIM_TYPE_IRIS.values()) == set(ClaimType)


# --------------------------------------------------------------------------- broken vocabularies

HEAD = """@prefix ldng: <https://w3id.org/ldn-graph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/v#> .
"""
SCHEME = 'ex: a skos:ConceptScheme ; ldng:productLabel "examplamab" .\n'
GOOD = 'ex:A a skos:Concept ; skos:inScheme ex: ; skos:prefLabel "Asthma"@en ; ldng:claimType ldng:Indication .\n'


def _write(tmp_path: Path, body: str, name: str = "vocabulary-synthetic.ttl") -> Path:
    path = tmp_path / name
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_minimal_synthetic_vocabulary_loads(tmp_path: Path) -> None:
    vocabulary = load_vocabulary(_write(tmp_path, SCHEME + GOOD))
    assert [c.name for c in vocabulary.concepts] == ["A"]
    assert vocabulary.subject_terms == ("examplamab",)
    assert vocabulary.subject_mesh == ()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (GOOD, r"declares no skos:ConceptScheme; add one"),
        (SCHEME + 'ex:B a skos:ConceptScheme ; ldng:productLabel "x" .\n' + GOOD,
         r"declares 2 skos:ConceptSchemes .*keep one scheme per vocabulary file"),
        ("ex: a skos:ConceptScheme .\n" + GOOD, r"has no ldng:productLabel; add the product's name"),
        (SCHEME, r"has no skos:Concept; add concepts"),
        (SCHEME + 'ex:A a skos:Concept ; ldng:claimType ldng:Indication .\n',
         r"concept <https://example.org/v#A> has no skos:prefLabel; add one"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" .\n',
         r"concept <https://example.org/v#A> has no ldng:claimType; add one of ldng:Mechanism, "),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Efficacy .\n',
         r"unknown claim type <https://w3id.org/ldn-graph/ontology#Efficacy>; use one of ldng:Mechanism"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType "indication" .\n',
         r"unknown claim type \"indication\"; use one of"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Indication , ldng:Benefit .\n',
         r"has 2 ldng:claimType values; keep one"),
        (SCHEME + GOOD + 'ex:B a skos:Concept ; skos:prefLabel "Wheeze" ; skos:altLabel "asthma" ; ldng:claimType ldng:Safety .\n',
         r"the label 'asthma' names both <https://example.org/v#A> and <https://example.org/v#B>"),
        (SCHEME + GOOD + '<https://example.org/w#A> a skos:Concept ; skos:prefLabel "Cough" ; ldng:claimType ldng:Safety .\n',
         r"share the local name 'A'; rename one"),
        (SCHEME + '[] a skos:Concept ; skos:prefLabel "Cough" ; ldng:claimType ldng:Safety .\n',
         r"a skos:Concept without an IRI \(a blank node\); give every concept an IRI"),
        ('ex: a skos:ConceptScheme ; ldng:productLabel "x" ; ldng:maxDoseMg "lots" .\n' + GOOD,
         r"ldng:maxDoseMg 'lots' is not a positive number of milligrams"),
        ('ex: a skos:ConceptScheme ; ldng:productLabel "x" ; ldng:maxDoseMg -1 .\n' + GOOD,
         r"ldng:maxDoseMg '-1' is not a positive number"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Dose" ; ldng:claimType ldng:Dosing ; ldng:doseFromMg 1 .\n',
         r"needs both ldng:doseFromMg and ldng:doseToMg"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Dose" ; ldng:claimType ldng:Dosing ; '
         'ldng:doseFromMg 5 ; ldng:doseToMg 1 .\n', r"the first no larger than the second"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Indication ; ldng:lessIs ex:Z .\n',
         r"ldng:lessIs of <https://example.org/v#A> names <https://example.org/v#Z>, which is not a concept"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Indication ; ldng:worseIs ex:Z .\n',
         r"ldng:worseIs of <https://example.org/v#A> names <https://example.org/v#Z>, which is not a concept"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Indication ; ldng:hasSign ex:Z .\n',
         r"ldng:hasSign of <https://example.org/v#A> names <https://example.org/v#Z>, which is not a concept"),
        (SCHEME + GOOD + 'ex:B a skos:Concept ; skos:prefLabel "Wheeze" ; ldng:sharedLabel "wheeze" ; ldng:claimType ldng:Safety .\n',
         r"ldng:sharedLabel 'wheeze' of <https://example.org/v#B> is also one of its own labels"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Benefit ; ldng:regainedActivity true .\n'
         'ex:B a skos:Concept ; skos:prefLabel "Wheeze" ; ldng:claimType ldng:Benefit ; ldng:regainedActivity true .\n',
         r"2 concepts have ldng:regainedActivity true"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma" ; ldng:claimType ldng:Benefit ; ldng:mildHarms true .\n'
         'ex:B a skos:Concept ; skos:prefLabel "Wheeze" ; ldng:claimType ldng:Benefit ; ldng:mildHarms true .\n',
         r"2 concepts have ldng:mildHarms true"),
        (SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Titration" ; ldng:claimType ldng:Dosing ; ldng:doseSteps true .\n'
         'ex:B a skos:Concept ; skos:prefLabel "Schedule" ; ldng:claimType ldng:Dosing ; ldng:doseSteps true .\n',
         r"2 concepts have ldng:doseSteps true"),
    ],
    ids=[
        "no scheme", "two schemes", "no product", "no concepts", "no prefLabel", "no claim type",
        "unknown claim type", "claim type literal", "two claim types", "label on two concepts",
        "duplicate local name", "blank-node concept", "dose not a number", "negative dose",
        "half a dose range", "dose range backwards", "lessIs names no concept", "worseIs names no concept", "hasSign names no concept", "shared label is its own",
        "two regained-activity concepts", "two mild-harms concepts", "two dose-steps concepts",
    ],
)
def test_broken_vocabularies_say_what_is_wrong(tmp_path: Path, body: str, expected: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(OntologyError) as info:
        load_vocabulary(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"vocabulary file {path}")
    assert re.search(expected, message), message
    assert info.value.exit_code == 2


def test_missing_vocabulary_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.ttl"
    with pytest.raises(OntologyError, match=r"^vocabulary file not found: .*nope\.ttl; pass an existing Turtle file to --vocabulary"):
        load_vocabulary(path)


def test_directory_is_not_a_vocabulary(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"^vocabulary path is not a file: "):
        load_vocabulary(tmp_path)


def test_unparseable_turtle_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, SCHEME + 'ex:A a skos:Concept ; skos:prefLabel "Asthma"\nex:B a skos:Concept .\n')
    with pytest.raises(OntologyError) as info:
        load_vocabulary(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"vocabulary file {path} is not valid Turtle at line 6: ")
    assert message.endswith("fix the syntax and try again")


def test_not_turtle_at_all(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.json"
    path.write_text(json.dumps({"concepts": []}), encoding="utf-8")
    with pytest.raises(OntologyError, match=r"is not valid Turtle"):
        load_vocabulary(path)


# --------------------------------------------------------------------------- evidence levels


def test_levels_are_ranked_as_designed(levels: LevelRules) -> None:
    assert levels.levels == (
        "systematic_review", "rct", "clinical_trial", "observational", "case_report",
        "review", "opinion", "preclinical", "unknown",
    )
    assert levels.rank("systematic_review") > levels.rank("rct") > levels.rank("unknown") > 0
    assert levels.rank("nonsense") == 0
    assert levels.strongest(["review", "rct", "opinion"]) == "rct"
    assert levels.strongest([]) is None
    assert levels.source == "builtin:evidence-levels.ttl"
    assert levels.sha256 == hashlib.sha256((ontology_dir() / "evidence-levels.ttl").read_bytes()).hexdigest()


def test_publication_types(levels: LevelRules) -> None:
    assert levels.publication_types["D016449"] == "rct"
    assert levels.publication_types["D017418"] == "systematic_review"
    assert levels.publication_types["D002363"] == "case_report"
    assert levels.publication_type_names["D016449"] == "Randomized Controlled Trial"
    assert "D016428" in levels.neutral_publication_types  # Journal Article
    assert "D016428" not in levels.publication_types
    assert "D016441" not in levels.publication_types  # retraction is a finding, not a level
    # Journal Article + Review + Systematic Review: the strongest wins
    assert levels.level_for_publication_types(["D016428", "D016454", "D000078182"]) == (
        "systematic_review", "D000078182",
    )
    assert levels.level_for_publication_types(["D016428", None]) is None


def test_mesh_rules(levels: LevelRules) -> None:
    assert levels.level_for_mesh(["D000818", "D005356"]) == "preclinical"  # Animals only
    assert levels.level_for_mesh(["D000818", "D006801"]) is None  # Animals and Humans
    assert levels.level_for_mesh([]) is None


def test_journal_rule(levels: LevelRules) -> None:
    assert levels.level_for_journal("Medical hypotheses", "Med Hypotheses") == ("opinion", "Medical hypotheses")
    assert levels.level_for_journal(None, "Med Hypotheses") == ("opinion", "Med Hypotheses")
    assert levels.level_for_journal("Arthritis and rheumatism", "Arthritis Rheum") is None


def test_design_words_on_the_cited_studies(levels: LevelRules) -> None:
    records = json.loads((DATA / "ldn-cited-references.json").read_text(encoding="utf-8"))["records"]
    by_pmid = {r["pmid"]: r for r in records}
    younger = levels.design_word_matches(by_pmid["23359310"]["title"])
    assert younger[0][0] == "rct"
    assert {m for _, m in younger} >= {"randomized", "double-blind", "placebo-controlled"}
    smith = levels.design_word_matches(by_pmid["17222320"]["facts"]["design"])
    assert smith[0] == ("clinical_trial", "open-label")
    assert levels.design_word_matches(by_pmid["19041189"]["title"]) == ()
    assert levels.level_for_journal(by_pmid["19041189"]["journal"]) == ("opinion", "Med Hypotheses")


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("A non-randomized open-label study", "clinical_trial"),
        ("a nonrandomised comparison", "clinical_trial"),
        ("A systematic review and meta-analysis of randomised trials", "systematic_review"),
        ("A retrospective cohort of 200 patients", "observational"),
        ("A case-control study", "observational"),
        ("Cross-sectional survey", "observational"),
        ("We report a case report of a patient", "case_report"),
        ("A narrative review", "review"),
        ("An editorial on low dose naltrexone", "opinion"),
        ("A new hypothesis", "opinion"),
        ("Naltrexone in mice", "preclinical"),
        ("An in vitro study of microglia", "preclinical"),
        ("A phase II study", "clinical_trial"),
        ("Patients were followed", None),
        ("A 79-year-old woman had cataract surgery", "case_report"),
        ("Here, we report a 43 year old man with obesity", "case_report"),
        ("Outcomes after in vitro fertilisation", None),
        ("Oocytes after in-vitro maturation", None),
        ("A quasi-experimental pre- and post-test", "clinical_trial"),
    ],
)
def test_design_words(levels: LevelRules, text: str, level: str | None) -> None:
    matches = levels.design_word_matches(text)
    assert (matches[0][0] if matches else None) == level


def test_every_real_record_with_a_design_type_gets_its_level(levels: LevelRules) -> None:
    import gzip
    import xml.etree.ElementTree as ET

    seen: dict[str, str] = {}
    with gzip.open(DATA / "medline" / "test_current_medline.xml.gz", "rb") as fh:
        for _e, elem in ET.iterparse(fh):
            if elem.tag in ("MedlineCitation",):
                uis = [p.get("UI") for p in elem.iter("PublicationType")]
                pmid = elem.findtext("PMID") or ""
                got = levels.level_for_publication_types(uis)
                if "D000078182" in uis or "D017418" in uis:
                    assert got is not None and got[0] == "systematic_review", pmid
                seen[pmid] = got[0] if got else "none"
    assert "systematic_review" in seen.values()


# --------------------------------------------------------------------------- broken level files

LEVEL_HEAD = """@prefix ldng: <https://w3id.org/ldn-graph/ontology#> .
@prefix mesh: <http://id.nlm.nih.gov/mesh/> .
"""


def _levels_file(tmp_path: Path, extra: str, keep_ranks: bool = True) -> Path:
    text = (ontology_dir() / "evidence-levels.ttl").read_text(encoding="utf-8")
    if not keep_ranks:
        text = text.replace("ldng:RCT              ldng:rank 8 .", "")
    path = tmp_path / "evidence-levels-synthetic.ttl"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def test_a_copy_of_the_level_file_loads_the_same(tmp_path: Path, levels: LevelRules) -> None:
    copy = tmp_path / "levels.ttl"
    shutil.copy(ontology_dir() / "evidence-levels.ttl", copy)
    loaded = load_level_rules(copy)
    assert loaded.source == str(copy)
    assert loaded.publication_types == levels.publication_types
    assert loaded.design_words == levels.design_words


@pytest.mark.parametrize(
    ("extra", "keep_ranks", "expected"),
    [
        ('[] a ldng:DesignWordRule ; ldng:level ldng:RCT ; ldng:pattern "(unclosed" .',
         True, r"design word rule pattern '\(unclosed' is not a valid regular expression"),
        ('[] a ldng:DesignWordRule ; ldng:level ldng:Anecdote ; ldng:pattern "x" .',
         True, r"uses <https://w3id.org/ldn-graph/ontology#Anecdote>, which is not an evidence level"),
        ('[] a ldng:PublicationTypeRule ; ldng:publicationType mesh:D016449 ; ldng:level ldng:Review .',
         True, r"publication type D016449 is mapped to both"),
        ('[] a ldng:PublicationTypeRule ; ldng:publicationType <http://example.org/RCT> ; ldng:level ldng:RCT .',
         True, r"not a MeSH IRI"),
        ("", False, r"level ldng:RCT needs exactly one integer ldng:rank"),
        ('[] a ldng:DesignWordRule ; ldng:level ldng:RCT .', True, r"a design word rule has 0 ldng:pattern values"),
        ('@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
         'ldng:Anecdote a ldng:EvidenceLevel ; skos:notation "anecdote" ; ldng:rank 10 .',
         True, r"has the notation 'anecdote', which is not an evidence level of ldn-graph; use one of systematic_review, rct"),
    ],
    ids=["bad regex", "unknown level", "conflicting mapping", "not mesh", "missing rank", "no pattern", "new level"],
)
def test_broken_level_files_say_what_is_wrong(
    tmp_path: Path, extra: str, keep_ranks: bool, expected: str
) -> None:
    path = _levels_file(tmp_path, LEVEL_HEAD + extra, keep_ranks)
    with pytest.raises(OntologyError) as info:
        load_level_rules(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"evidence-level file {path}")
    assert re.search(expected, message), message


def test_missing_level_file(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match=r"^evidence-level file not found: "):
        load_level_rules(tmp_path / "none.ttl")


def test_dose_ranges_less_is_and_labels_as_written_load(tmp_path: Path) -> None:
    body = (SCHEME + GOOD
            + 'ex:D a skos:Concept ; skos:prefLabel "Low dose" ; ldng:claimType ldng:Dosing ; '
              'ldng:doseFromMg 0.5 ; ldng:doseToMg 5.0 .\n'
            + 'ex:U a skos:Concept ; skos:prefLabel "Steroid use" ; ldng:claimType ldng:Contraindication ; '
              'ldng:lessIs ex:S ; ldng:exactLabel "steroids"@en .\n'
            + 'ex:S a skos:Concept ; skos:prefLabel "Steroid-sparing" ; ldng:claimType ldng:Benefit .\n')
    concepts = {c.name: c for c in load_vocabulary(_write(tmp_path, body)).concepts}
    assert concepts["D"].dose_range == (0.5, 5.0)
    assert concepts["U"].reduced == concepts["S"].iri
    assert concepts["U"].as_written == ("steroids",) and "steroids" in concepts["U"].synonyms


def test_labels_that_name_a_concept_only_where_there_is_less_of_them_load() -> None:
    [sparing] = [c for c in load_vocabulary().concepts if c.name == "OpioidSparing"]
    assert {"NSAIDs", "painkillers", "analgesics"} <= set(sparing.less_of)
    assert "NSAIDs" not in sparing.terms  # never a label on its own


def test_one_concept_is_named_by_a_return_to_everyday_things() -> None:
    assert [c.name for c in load_vocabulary().concepts if c.regained] == ["QualityOfLife"]


def test_one_concept_is_named_by_side_effects_said_to_be_mild() -> None:
    assert [c.name for c in load_vocabulary().concepts if c.mild_harms] == ["Tolerability"]


def test_a_concepts_signs_are_no_claims_where_it_is_named(tmp_path: Path) -> None:
    """ldng:hasSign is data: a synthetic vocabulary gets the same reading (no concept names in code)."""
    body = (SCHEME
            + 'ex:H a skos:Concept ; skos:prefLabel "Hypoglycaemia" ; ldng:claimType ldng:Safety ; ldng:hasSign ex:T ; '
              'skos:altLabel "low blood sugar"@en .\n'
            + 'ex:T a skos:Concept ; skos:prefLabel "Tremor" ; ldng:claimType ldng:Safety ; skos:altLabel "shaky"@en .\n')
    vocabulary = load_vocabulary(_write(tmp_path, body))
    assert {c.name: c.signs for c in vocabulary.concepts}["H"] == ("https://example.org/v#T",)
    doc = read_text_document(b"# Examplamab\n\nExamplamab can make you shaky.\n\n"
                             b"On examplamab, feeling shaky can mean low blood sugar.\n", "synthetic.md")
    found = [(c.text, c.concept.name) for c in extract_claims(doc, vocabulary)]
    assert found == [("Examplamab can make you shaky.", "T"), ("On examplamab, feeling shaky can mean low blood sugar.", "H")]
