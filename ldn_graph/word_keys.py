"""Word keys: the one key a word shares with the rest of its family.

British spellings are made American, irregular verb forms regular, then the Snowball
English stemmer (snowballstemmer) runs, then a few derivational endings it leaves are
dropped: "modulate", "modulation", "modulator" and "modulatory" share a key, as do
"blocks" and "blockade", "tumour" and "tumor", "got" and "get", "slowly" and "gradually",
"brief" and "temporary", "exacerbation" and "worsening".
Negation words share one key. Also the little words a label may have between its words (``STOPWORDS``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import MappingProxyType

import snowballstemmer

# Words that may stand between a label's words ("relief OF pain", "blocks THE opioid
# receptors", "improves THEIR quality OF life", "Crohn'S"), and that a label's own little
# words are dropped to.
STOPWORDS = frozenset({
    "of", "in", "the", "a", "an", "to", "for", "from", "with", "on", "at", "by", "s",
    "their", "your", "its", "my", "his", "her", "our", "this", "that", "these", "those",
    "it", "them", "is", "are", "was", "were", "be", "been", "each", "every", "once", "per",
    # adverbs of degree and frequency: "side effects are USUALLY mild", "start VERY low"
    "very", "really", "quite", "so", "too", "just", "even", "also", "still", "far", "much",
    "usually", "often", "generally", "typically", "sometimes", "mostly", "mainly", "fairly",
    "little", "slightly", "briefly", "temporarily", "occasionally",
    # determiners and the like: "fewer of their OTHER painkillers", "getting OFF to sleep"
    "other", "any", "some", "usual", "regular", "own", "off", "as", "has", "have", "had",
    # what a condition already is: "a worsening of EXISTING symptoms"
    "existing", "underlying",
    # modal verbs: "your symptoms MAY briefly flare"
    "may", "might",
})
# Irregular English verb forms, to the form their family's other words stem from: "got my
# life back" is "get my life back", "slept better" is "sleep better".
_IRREGULAR = MappingProxyType({
    "got": "get", "gotten": "get", "took": "take", "taken": "take", "felt": "feel", "slept": "sleep",
    "woke": "wake", "woken": "wake", "gave": "give", "given": "give", "went": "go", "gone": "go",
    "came": "come", "brought": "bring", "kept": "keep", "began": "begin", "begun": "begin",
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "made": "make", "lost": "lose",
    "built": "build", "ran": "run", "crept": "creep", "thought": "think", "bought": "buy", "did": "do",
    "done": "do", "had": "have", "has": "have", "lay": "lie", "lain": "lie", "drove": "drive", "grew": "grow",
})
# Words that say one thing, one word to a label: adverbs of manner ("raise it slowly" is
# "raise gradually", "increase steadily" is "increase slowly", "a slower climb" a gradual
# one), words of one sense ("a brief worsening" is "a temporary worsening", "an
# exacerbation of symptoms" a worsening, inflammation cooled or dampened is calmed or damped)
# and verbs of motion (a dose goes, moves or climbs up: "move up more slowly" is "go up slowly").
_ONE_SENSE = MappingProxyType({"slowly": "gradually", "steadily": "gradually", "progressively": "gradually",
                               "brief": "temporary", "exacerbation": "worsening", "intensification": "worsening",
                               "slow": "gradually", "slower": "gradually", "everyday": "daily"})
# … and verbs whose every inflection says one thing, by stem ("moving", "climbed" → "go";
# "dampening" → "damp"; "cooled" → "calm").
_ONE_SENSE_STEM = MappingProxyType({"move": "go", "climb": "go", "dampen": "damp", "cool": "calm"})
# Negation words are one word to a label: "non-addictive", "not addictive", "no addiction",
# "isn't habit-forming" and "non-habit forming" match one another.
NEGATION_KEY = "¬"
_NEGATIONS = frozenset({"non", "not", "no", "never", "nor"})

# British spellings made American, before stemming (one key for "tumour" and "tumor",
# "oedema" and "edema", "normalise" and "normalize", "analyse" and "analyze").
_SPELLING_PIECES = (
    ("oedem", "edem"), ("oesoph", "esoph"), ("oestr", "estr"), ("rrhoe", "rrhe"), ("coeliac", "celiac"),
    ("foet", "fet"), ("haem", "hem"), ("anaem", "anem"), ("paed", "ped"), ("aemia", "emia"),
)
_OUR_RE = re.compile(r"(?<=\w{3})our(s?)$")  # tumour, behaviour, favour (not four, your)
_ISE_RE = re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations|er|ers)$")  # normalise, stabiliser
_YSE_RE = re.compile(r"ys(e|es|ed|ing)$")  # analyse, paralysed

# Derivational endings the Snowball stemmer leaves, stripped from its stem when what is
# left is long enough to still name the family: modulatori → modul, blockad → block,
# analgesia → analges, antagonist → antagon, blocker → block, and the "-anc"/"-enc" it
# leaves on an inflected form (rebalancing → rebalanc → rebal, as rebalance is).
DERIVATIONS = (("atori", 4), ("ori", 5), ("ad", 4), ("ia", 4), ("ist", 5), ("er", 5), ("anc", 4), ("enc", 4))

_STEMMER = snowballstemmer.stemmer("english")


def american(word: str) -> str:
    for british, american in _SPELLING_PIECES:
        if british in word:
            word = word.replace(british, american)
    word = _OUR_RE.sub(r"or\1", word)
    word = _ISE_RE.sub(r"iz\1", word)
    return _YSE_RE.sub(r"yz\1", word)


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """The key a word shares with the rest of its family (lower-cased input expected)."""
    if word in _NEGATIONS or word.endswith("n't"):
        return NEGATION_KEY
    if not word.isalpha():
        return word  # numbers ("4.5") and alphanumerics stay as they are
    stem = _STEMMER.stemWord(american(_IRREGULAR.get(word) or _ONE_SENSE.get(word, word)))
    stem = _ONE_SENSE_STEM.get(stem, stem)
    for ending, keep in DERIVATIONS:
        if stem.endswith(ending) and len(stem) - len(ending) >= keep:
            return stem[: -len(ending)]
    return stem
