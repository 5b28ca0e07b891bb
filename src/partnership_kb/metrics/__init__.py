"""Network metrics of the membership network: who sits on which board, as one graph read by the
named query `network` and measured with networkx (see measures.py), cached per data version."""
