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


def test_channels_differ_by_hatching_and_line_style_not_only_hue():
    from cnnlib.viz.batchnorm import CHANNEL_HATCHES, CHANNEL_STYLES, FIG_H, FIG_W

    fig = draw_batchnorm(batchnorm_demo(shift=2.0))
    for ax in fig.axes:
        handles = ax.get_legend().legend_handles
        assert [h.get_hatch() for h in handles] == list(CHANNEL_HATCHES)
        assert len(set(CHANNEL_HATCHES)) == 3 and len(set(CHANNEL_STYLES)) == 3
        fills, outlines = ax.patches[0::2], ax.patches[1::2]
        assert [p.get_hatch() for p in fills] == list(CHANNEL_HATCHES)
        assert [p.get_linestyle() for p in outlines] == list(CHANNEL_STYLES)
    assert tuple(fig.get_size_inches()) == (FIG_W, FIG_H) and FIG_W * fig.dpi <= 1030  # fits a 1024 px page
    again = draw_batchnorm(batchnorm_demo(shift=-4.0, scale=3.0, mode="eval"), figure=fig)
    assert tuple(again.get_size_inches()) == (FIG_W, FIG_H)
