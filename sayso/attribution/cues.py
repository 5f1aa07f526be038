"""Cue words: the verbs, nouns and phrases that introduce what someone said, believes or intends.

Each lemma has a class, used for the attribution's kind and, downstream, for its stance:

- ``speech``: say, tell, write, add, tweet ...
- ``report``: report, reveal, show, find (evidence and reporting, often by outlets and documents)
- ``assert``: claim, insist, argue, warn, accuse ...
- ``deny``: deny, reject, dismiss, refute ...
- ``doubt``: doubt, question, wonder ...
- ``belief``: think, believe, hope, fear, expect, want, plan, seem ...

The lists were drawn up for US and UK news writing and checked against the cue words annotated in the
PolNeAR training split.
"""

from __future__ import annotations

SPEECH = """
say tell add write tweet post explain note state remark comment mention reply respond answer ask
recall recount describe announce declare quip joke muse interject echo repeat reiterate testify
quote cite email text call chant shout yell cry speak talk list detail outline read broadcast
express voice allude opine preach proclaim pronounce reaffirm retweet retweete recite chime elaborate
clarify inform remind reference discuss observe articulate highlight invoke continue
""".split()

REPORT = """
report reveal show find indicate suggest disclose document estimate forecast predict project confirm
acknowledge admit concede conclude publish release learn
""".split()

ASSERT = """
claim insist argue contend assert maintain allege charge accuse blame warn caution urge demand
promise vow pledge threaten vouch emphasize stress stress underscore point tout boast brag praise
hail credit applaud endorse support back defend criticize criticise slam blast decry denounce
condemn lambast assail deride mock attack chide rebuke complain lament bemoan rail question
propose recommend advocate order press agree counter retort rebut hint signal imply concede assure
reassure congratulate thank label dub describe characterize portray liken compare refer
plead trumpet laud taunt ridicule belittle attribute deem request balk apologize
""".split()

DENY = """
deny reject dismiss refute dispute rebuff repudiate disavow downplay shrug brush decline refuse
""".split()

DOUBT = """
doubt wonder question
""".split()

BELIEF = """
think believe feel hope fear expect want wish know assume suspect guess worry consider view see
regard understand realize recognise recognize intend plan aim seek prefer remember imagine envision
foresee anticipate seem appear sound like love hate favor favour oppose speculate ponder contemplate
interpret profess hop
""".split()

CLASSES: dict[str, str] = {}
for _cls, _words in (
    ("belief", BELIEF),
    ("speech", SPEECH),
    ("report", REPORT),
    ("assert", ASSERT),
    ("doubt", DOUBT),
    ("deny", DENY),
):
    for _w in _words:
        CLASSES[_w] = _cls  # later lists win: "question" is a doubt, "decline" a denial
# "hop" is a belief because the English lemmatizer reads "hoped" and "hoping" as forms of it


#: Nouns that head an attribution: "his claim that ...", "in a statement, ...".
NOUNS = {
    "statement": "speech",
    "claim": "assert",
    "assertion": "assert",
    "allegation": "assert",
    "accusation": "assert",
    "warning": "assert",
    "promise": "assert",
    "pledge": "assert",
    "vow": "assert",
    "denial": "deny",
    "belief": "belief",
    "view": "belief",
    "suggestion": "assert",
    "complaint": "assert",
    "criticism": "assert",
    "argument": "assert",
    "insistence": "assert",
    "admission": "report",
    "announcement": "speech",
    "remark": "speech",
    "comment": "speech",
    "tweet": "speech",
    "speculation": "belief",
    "fear": "belief",
    "hope": "belief",
    "doubt": "doubt",
}

#: Phrasal cues: lemma -> particle that must follow ("point out", "shrug off").
PARTICLES = {"point": "out", "shrug": "off", "brush": "off", "lash": "out", "rail": "against"}

#: Verbs that are cues only when nothing but a quotation or a clause follows them: "Cruz continued:", but
#: "continued to push for" and "continued his attacks" have their cue in the verb or noun after them.
ONLY_ALONE = {"continue"}

#: Verbs whose content is usually their direct object, not a clause ("denied the report").
OBJECT_CONTENT = {
    "deny", "reject", "dismiss", "refute", "dispute", "rebuff", "repudiate", "disavow", "downplay",
    "praise", "criticize", "criticise", "slam", "blast", "decry", "denounce", "condemn", "endorse",
    "support", "back", "defend", "oppose", "question", "doubt", "confirm", "acknowledge", "admit",
    "announce", "cite", "tout", "propose", "recommend", "advocate", "demand", "promise", "pledge",
    "predict", "forecast", "favor", "favour", "want", "seek", "describe", "call", "label", "dub",
    "accuse", "blame", "credit", "thank", "congratulate", "mock", "attack", "lambast", "assail",
    "tweet", "post", "release", "publish", "repeat", "echo", "reiterate", "mention", "list",
    "express", "voice", "like", "love", "hate", "prefer", "expect", "fear", "show", "reveal",
}


#: Head nouns of descriptions that can be speakers: "the campaign", "a senior official".
ORG_HEADS = {
    "campaign", "government", "administration", "committee", "party", "agency", "department",
    "office", "ministry", "council", "court", "congress", "senate", "house", "commission", "company",
    "group", "organization", "organisation", "union", "association", "board", "team", "camp", "bureau",
    "foundation", "institute", "university", "service", "kremlin", "pentagon", "white", "state",
}
PERSON_HEADS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "source",
    "senator", "president", "candidate", "governor", "secretary", "minister", "director", "chairman",
    "chairwoman", "chair", "leader", "analyst", "expert", "professor", "lawyer", "attorney", "member",
    "strategist", "consultant", "operative", "donor", "voter", "supporter", "critic", "economist",
    "nominee", "representative", "congressman", "congresswoman", "mayor", "judge", "ambassador",
    "man", "woman", "person", "reporter", "writer", "author", "columnist", "editor", "manager",
}
#: Plural people nouns beyond those: "critics", "voters", "Democrats" are groups that speak.
PEOPLE = {"people", "critics", "voters", "residents", "officials", "experts", "analysts", "democrats", "republicans",
          "lawmakers", "activists", "protesters", "supporters", "opponents", "observers", "investigators"}

#: Things that "say", "show" or "find": reports, polls, documents.
DOCUMENTS = {
    "report", "poll", "survey", "study", "statement", "letter", "ad", "advertisement", "memo", "document",
    "analysis", "review", "article", "story", "book", "video", "tweet", "post", "email", "data", "record",
    "filing", "complaint", "lawsuit", "suit", "indictment", "ruling", "decision", "order", "bill", "law",
    "plan", "platform", "resolution", "editorial", "column", "release", "transcript", "research", "audit",
    "investigation", "inquiry", "probe", "assessment", "estimate", "forecast", "finding", "message", "speech",
}


def cue_class(lemma: str) -> str | None:
    """The class of a cue verb's lemma, or None when it is not a cue word.

    >>> cue_class("deny"), cue_class("walk")
    ('deny', None)
    """
    return CLASSES.get(lemma.lower())
