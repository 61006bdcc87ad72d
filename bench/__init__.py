"""`make bench` and `make load`: the assistant under load, measured from outside over REST.

Nothing here is imported by the assistant. The figures are printed and kept, never asserted
(timings on a shared machine are noisy); `make bench` compares the assistant with the stock
`rasa init` assistant in the same run, as ratios.
"""
