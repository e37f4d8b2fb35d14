"""Complexity score and tier choice.

The score is deterministic (no randomness, no clock, no model call) and is the sum of five
parts, computed over the request text (the prompt, or every message's content joined by
newlines):

    score = length + code + reasoning + steps + output

    length     min(40, tokens // 40)        tokens = ceil(characters / 4), an estimate
                                            (1,600 estimated tokens reach the cap)
    code       20 per fenced code block (a pair of ```; an unclosed one counts), at most 40,
               + 20 when the text asks for programming work (implement, refactor, debug,
               traceback, stack trace, compile, unit test, regex, SQL, "write a function",
               "write a script", ...)
    reasoning  15 per distinct kind of reasoning cue, at most 45. The kinds: step by step;
               prove/proof; derive/derivation; explain why/how; analyse/analysis;
               compare/contrast; trade-offs/pros and cons; design/architecture/plan;
               evaluate/critique/justify/assess; optimise/optimize. A kind counts once
               however often it appears.
    steps      5 per numbered or bulleted instruction line beyond the first, at most 20
               (lines starting with "1.", "2)", "-", "*" or a bullet)
    output     min(20, max_tokens // 100)   the requested output length

The tier: score >= BEDROCK_THRESHOLD -> "bedrock"; score >= LARGE_THRESHOLD -> "large";
otherwise "small". The stack sets both thresholds (40 and 75 by default). An explicit `tier`
in the request wins over the score.
"""

import re

TIERS = ("small", "large", "bedrock")

DEFAULT_LARGE_THRESHOLD = 40
DEFAULT_BEDROCK_THRESHOLD = 75

FENCE = "```"

CODE_TASK = re.compile(
    r"\b(?:implement\w*|refactor\w*|debug\w*|traceback|stack ?trace|segfault|"
    r"compil(?:e|er|es|ing|ation)|unit ?tests?|regex\w*|regular expressions?|sql|"
    r"write (?:a|an|the|me a|me an) (?:\w+ ){0,2}"
    r"(?:function|class|script|program|method|query|module|parser|api|endpoint))\b",
    re.IGNORECASE,
)

REASONING_KINDS = (
    ("step-by-step", re.compile(r"\bstep[- ]by[- ]step\b", re.IGNORECASE)),
    ("prove", re.compile(r"\b(?:prove|proof|proving)\b", re.IGNORECASE)),
    ("derive", re.compile(r"\b(?:derive|derivation|deriving)\b", re.IGNORECASE)),
    ("explain", re.compile(r"\bexplain (?:why|how)\b", re.IGNORECASE)),
    ("analyse", re.compile(r"\banaly(?:s|z)(?:e|es|ed|is|ing)\b", re.IGNORECASE)),
    ("compare", re.compile(r"\b(?:compar(?:e|es|ing|ison)|contrast)\b", re.IGNORECASE)),
    ("trade-offs", re.compile(r"\b(?:trade-?offs?|pros and cons)\b", re.IGNORECASE)),
    ("design", re.compile(r"\b(?:design|architect\w*|plan|planning)\b", re.IGNORECASE)),
    ("evaluate", re.compile(r"\b(?:evaluat\w+|critiqu\w+|justify|assess\w*)\b", re.IGNORECASE)),
    ("optimise", re.compile(r"\boptimi[sz]\w*\b", re.IGNORECASE)),
)

STEP_LINE = re.compile(r"^[ \t]*(?:\d{1,3}[.)]|[-*\u2022])[ \t]+\S", re.MULTILINE)


def estimate_tokens(text):
    """A rough token count: one token per four characters, rounded up."""
    return (len(text) + 3) // 4


def score_parts(text, max_tokens):
    """The five parts of the score, by name (see the module docstring)."""
    tokens = estimate_tokens(text)
    fences = text.count(FENCE)
    blocks = (fences + 1) // 2
    code = min(40, 20 * blocks) + (20 if CODE_TASK.search(text) else 0)
    kinds = sum(1 for _, pattern in REASONING_KINDS if pattern.search(text))
    steps = len(STEP_LINE.findall(text))
    return {
        "length": min(40, tokens // 40),
        "code": code,
        "reasoning": min(45, 15 * kinds),
        "steps": min(20, 5 * max(0, steps - 1)),
        "output": min(20, max_tokens // 100),
    }


def score(text, max_tokens):
    """The complexity score of a request text with its requested output length."""
    return sum(score_parts(text, max_tokens).values())


def choose_tier(points, large_threshold, bedrock_threshold):
    """The tier for a score: bedrock from `bedrock_threshold`, large from `large_threshold`."""
    if points >= bedrock_threshold:
        return "bedrock"
    if points >= large_threshold:
        return "large"
    return "small"


def fallback_chain(tier):
    """The tiers to try, in order, starting at `tier`: small -> large -> bedrock."""
    return TIERS[TIERS.index(tier) :]
