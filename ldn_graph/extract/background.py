"""Background: sentences whose subject is not the product.

A condition or another drug as a sentence's subject, and the shapes of sentences that
describe a condition rather than a treatment (a definition, how common it is, someone's
history, what a disease does to the body, who the writer is). Product context
(`extract.context`) reads a sentence of such a shape as background unless it names the
product. The words are general: disease words, drug-class words and the WHO INN stems of
drug names, never one page's wording.
"""

from __future__ import annotations

import re

# General disease words: a sentence opening with one is about a condition.
CONDITION_WORDS = (
    r"diseases?|disorders?|syndromes?|conditions?|illness(?:es)?|infections?|cancers?|"
    r"tumou?rs?|arthritis|diabetes|dementia|autoimmunity"
)
CONDITION_RE = re.compile(rf"\b(?:{CONDITION_WORDS})\b", re.I)
# The INN stems of drugs other than opioids ("duloxetine", "pregabalin", "adalimumab",
# "amantadine"), and the endings of a few drug families named without one ("modafinil",
# "methylphenidate"), after three letters at least ("April" is no ACE inhibitor, "spine"
# no antipsychotic).
_NON_OPIOID_STEMS = (
    r"mab|tinib|pril|sartan|olol|azepam|azolam|oxetine|ipramine|triptyline|gabalin|"
    r"profen|statin|prazole|cycline|mycin|micin|floxacin|vir|dronate|lukast|afil|"
    r"semide|thiazide|parin|xaban|gliptin|glutide|glitazone|tidine|setron|triptan|"
    r"pine|zepine|ocaine|caine|tadine|mantine|afinil|phenidate|traline|alopram|faxine"
)
# A named drug that is no opioid: a heading naming one ("Duloxetine (Cymbalta)", "Pros of
# pregabalin") heads a section about it. (An opioid's name heads a warning about taking
# the product with it.)
NON_OPIOID_DRUG_RE = re.compile(rf"\b[a-z]{{3,}}(?:{_NON_OPIOID_STEMS})s?\b", re.I)
# Other medicines: general class words and the WHO INN stems of drug names.
DRUG_CLASS_RE = re.compile(
    r"\b(?:opioids?|opiates?|antidepressants?|steroids?|corticosteroids?|immunosuppressants?|"
    r"biologics?|painkillers?|pain ?killers|analgesics?|antibiotics?|anticonvulsants?|"
    r"benzodiazepines?|NSAIDs?|SSRIs?|SNRIs?|statins?|vaccines?|placebo|"
    rf"[a-z]{{3,}}(?:{_NON_OPIOID_STEMS}|done|adol|orphine|odone)s?)\b"
    # "opioid receptors", "opioid antagonist": the drug word names a target, not a drug
    r"(?!\s*(?:receptors?|antagonis\w*|blockade|block(?:ing|er)s?|signal\w*|system|peptides?|growth))",
    re.I,
)


def names_other_drug(text: str) -> bool:
    """Whether ``text`` names another medicine or a class of them ("Escitalopram can itself
    cause vivid dreams", "fewer painkillers", "than on placebo")."""
    return DRUG_CLASS_RE.search(text) is not None


# Before a benefit's word: another medicine taken for it ("the amitriptyline I take for nerve
# pain", "cut back on paracetamol for my joint pain"): that medicine's purpose, no claim of it.
OTHER_DRUG_FOR_RE = re.compile(
    r"(?:" + DRUG_CLASS_RE.pattern + r")[^.;:!?]{0,30}?\bfor\s+(?:(?:my|the|his|her|your|their|our)\s+)?(?:[\w-]+\s+){0,2}$",
    re.I,
)
# Sentence shapes that describe a condition rather than a treatment.
BACKGROUND_RE = re.compile(
    r"\b(?:is|are)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:" + CONDITION_WORDS + r")\b"
    # (not a side effect's frequency band: "Common (may affect up to 1 in 10 people)")
    r"|(?<!\bmay )(?<!\bcan )\baffects?\s+(?:about|around|roughly|an estimated|more than|over|up to|nearly|almost|some|"
    r"one|\d)"
    r"|\b(?:is|are)\s+(?:characteri[sz]ed|marked|caused)\s+by\b"
    r"|\bsymptoms?\s+(?:include|includes|are|can include|may include|of)\b"
    r"|\b(?:hallmarks?|features?|signs?)\s+of\s+(?:[\w'’/-]+\s+){1,3}(?:is|are|include|includes)\b"
    # (how many people have a condition, not how many a study counted: "64 of 138 patients
    # were responders", "a crossover study of about 30 women")
    r"|(?=\d|million|thousand|hundred)(?<!\bof )(?<!\bof about )(?<!\bof around )(?<!\bof some )(?<!\bof nearly )(?<!\bof only )"
    r"\b(?:million|thousand|hundred|\d[\d,.]*)\s+(?:(?!of\b)\w+\s+){0,3}(?:people|adults|children|patients|women|men)\b"
    r"[^.]{0,40}\b(?:live|living|have|has|had|are|were|get|develop)\b"
    r"|\b(?:came to (?:me|us|see (?:me|us))|(?:was|were) referred(?: to (?:me|us))?|presented) with\b"
    r"|\bprevalence\b|\b(?:is|are|was|were|been|being|got|get)\s+diagnosed\b|\bin which the (?:immune system|body)\b"
    # (how common a condition is, not a harm: "adverse events are rare in published reports")
    r"|(?=is\b|are\b)(?<!effects )(?<!events )(?<!reactions )\b(?:is|are)\s+(?:very\s+|quite\s+|so\s+)?(?:common|rare|prevalent|widespread)\s+(?:in|among)\b"
    r"(?!\s+(?:\w+\s+)?(?:practice|reports?|studies|trials?|literature|use|users)\b)"
    r"|\b(?:have|has|had)\s+(?:had|lived with)\b[^.]{0,40}\bfor\s+(?:\w+\s+){0,2}(?:years?|months?|decades?)\b"
    r"|\b(?:after|for)\s+(?:\w+\s+){0,2}(?:years?|months?|decades?)\s+(?:of|with)\s+(?!(?:it|ldn|this|the\s+(?:drug|medicine|treatment)|treatment|therapy|taking|using|use)\b)"
    # a heading or lead-in naming a condition's symptoms or signs ("Common symptoms", "Signs
    # of a flare"), not what the product helps
    r"|^\W*(?:(?:common|typical|main|early|other|key|usual)\s+)?(?:symptoms|signs)\b(?![^.?!]*\b(?:help|improv|eas|relie|treat|ldn)\w*)[^.!?]{0,60}$"
    # someone's illness: "has had Crohn's disease since his teens", "when she caught Covid"
    r"|\b(?:has|have|had)\s+had\s+[^.]{0,40}\bsince\s+(?:his|her|their|my|your|the|early)?\s*(?:teens|childhood|twenties|birth|school|\d{4})\b"
    r"|\b(?:caught|contracted)\s+(?:covid|covid-19|coronavirus|the\s+virus|flu|glandular\s+fever)\b"
    # a symptom ranked among a condition's: "Fatigue is one of the commonest symptoms of MS",
    # "Abdominal pain is among the most disabling features of IBD"
    r"|\b(?:is|are)\s+(?:one\s+of\s+|among\s+)?the\s+(?:[\w-]+\s+){0,4}?(?:symptoms?|features?|complaints?|problems?)\s+(?:of|in|to|that|people|outside)\b"
    # what a test or a score is: "Calprotectin is a protein doctors measure in stool samples"
    r"|\b(?:is|are)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:test|score|scale|questionnaire|marker|protein|enzyme|hormone)s?"
    r"\s+(?:for|of|that|which|doctors|used|measured|to)\b"
    # a sponsor's message: "This episode is supported by …"
    r"|\b(?:this|today's)\s+(?:episode|post|newsletter|show|issue)\s+is\s+(?:supported|sponsored|brought\s+to\s+you)\s+by\b"
    # what an organisation is: "The … Alliance is a registered charity supporting people with …"
    r"|\b(?:is|are)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:charity|charities|organi[sz]ation|company|"
    r"social\s+enterprise|membership\s+body|network|alliance|society|foundation)\b"
    # someone's history: "Since a COVID infection in late 2024 you have had …"
    r"|^\W*since\s+(?:a|an|the|my|your|her|his|their)\s+(?:[\w-]+\s+){0,2}(?:infection|diagnosis|illness|accident|injury|operation|surgery|flare)\b"
    # what a disease does to the body: "the immune system attacks …"
    r"|\bimmune\s+system\s+(?:\w+\s+){0,2}(?:attacks?|damages?|targets?|destroys?|mistakes?|turns?\s+on|strips?)\b"
    # a reply's sympathy: "That sounds exhausting", "I'm sorry you're dealing with this"
    r"|^\W*(?:that|this|it)\s+(?:sounds|must\s+be)\s+(?:\w+\s+){0,2}?(?:exhausting|hard|tough|difficult|frustrating|awful|rough|draining)\b"
    # who the writer is: "Dr Hannah Okafor is a GP in Leeds who runs a clinic for …"
    r"|^\W*(?:dr\.?\s+)?[a-z][\w'-]+\s+[a-z][\w'-]+\s+is\s+an?\s+(?:\w+\s+){0,2}?(?:gp|doctor|pharmacist|nurse|physician|"
    r"consultant|writer|journalist|editor|physiotherapist|dietitian|researcher)\b"
    # how someone was before: "With Hashimoto's I was always cold and foggy" (not "… and now …")
    r"|^\W*(?:with\s+[\w'’-]+(?:\s+[\w'’-]+)?,?\s+)?(?:i|she|he|they|we)\s+(?:was|were|had\s+been)\s+"
    r"(?:always|constantly|permanently|forever)\b(?![^.!?]*\b(?:now|since|these\s+days|until)\b)",
    re.I,
)
