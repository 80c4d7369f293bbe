"""Detection: find the passages that evidence forced-labour indicators, markers and acts.

The knowledge is data (``indicia/data``): the taxonomy of ids, one lexicon per id, the polarity
cues and the quantity vocabulary. The code here loads and validates that data, compiles it into
one multi-pattern matcher, and turns matches into findings that name their rule and version.
"""
