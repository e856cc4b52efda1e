from cnnlib.demos.batchnorm import batchnorm_demo
from cnnlib.viz.batchnorm import draw_batchnorm


def test_legends_give_the_statistics_and_the_histograms_are_drawn():
    demo = batchnorm_demo(gamma=2.0, beta=1.0)
    fig = draw_batchnorm(demo)
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert legend == ["channel 0: mean +1.00, std 2.00", "channel 1: mean +1.00, std 2.00",
                      "channel 2: mean +1.00, std 2.00"]
    edges, counts = demo.histograms["after"]
    steps = fig.axes[1].patches[1]  # channel 0's outline
    assert list(steps.get_data().values) == list(counts[0]) and list(steps.get_data().edges) == list(edges)
    assert "after BatchNorm2D, train mode\n(normalised with this batch's μ and σ²)" == fig.axes[1].get_title()
