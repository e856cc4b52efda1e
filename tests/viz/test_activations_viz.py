from cnnlib.demos.activations import activation_curves, gradients_through_depth
from cnnlib.viz.activations import draw_activations, draw_gradient_through_depth


def test_activation_panels_draw_the_curves_and_shade_saturation():
    curves = activation_curves(("relu", "sigmoid"))
    fig = draw_activations(curves)
    relu_ax, sig_ax = fig.axes
    assert [ax.get_title() for ax in fig.axes] == ["ReLU", "sigmoid"]
    assert (relu_ax.lines[0].get_ydata() == curves[0].y).all() and (sig_ax.lines[1].get_ydata() == curves[1].dy).all()
    assert len(relu_ax.patches) == 0 and len(sig_ax.patches) == 2  # the two saturated tails
    assert draw_activations(activation_curves(("relu",))).texts == []  # nothing saturates: no note


def test_depth_figure_has_one_log_line_per_activation():
    norms = gradients_through_depth(("sigmoid", "relu"), depth=4)
    ax = draw_gradient_through_depth(norms).axes[0]
    assert ax.get_yscale() == "log" and [t.get_text() for t in ax.get_legend().get_texts()] == ["sigmoid", "ReLU"]
    assert list(ax.lines[0].get_ydata()) == list(norms["sigmoid"])


def test_curves_and_depth_lines_differ_by_more_than_colour():
    from cnnlib.viz.activations import DEPTH_MARKERS

    fig = draw_activations(activation_curves(("sigmoid",)))
    f_line, df_line = fig.axes[0].lines[:2]
    assert (f_line.get_linestyle(), df_line.get_linestyle()) == ("-", "--")
    ax = draw_gradient_through_depth(gradients_through_depth(("sigmoid", "relu", "tanh"), depth=3)).axes[0]
    assert [line.get_marker() for line in ax.lines] == [DEPTH_MARKERS[n] for n in ("sigmoid", "relu", "tanh")]
