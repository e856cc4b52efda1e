"""JavaScript run in a JupyterLab page (needs ``--LabApp.expose_app_in_browser``).

Shared by the load test's browser students (benchmarks/classroom_load.py) and the browser
suite (tests/browser/test_lessons_in_lab.py).
"""

KERNEL_IDLE_JS = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && w.content && w.content.widgets.length > 0);
}"""

# The first picture drawn in the notebook's outputs (the stored outputs are cleared before Run All).
FIRST_FIGURE_JS = """() => !!window.jupyterapp.shell.currentWidget.node.querySelector(
  '.jp-OutputArea img, .jp-OutputArea svg.cnnlib-figure, .jp-OutputArea .jp-RenderedSVG svg')"""

ALL_EXECUTED_JS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null
      && !(c.promptNode && c.promptNode.textContent.includes('*')));
}"""

ERRORS_JS = """() => {
  const errors = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((c, i) => {
    if (c.model.type !== 'code') return;
    for (const o of c.model.outputs.toJSON())
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
  });
  return errors;
}"""

# Indices of the cells whose widget output has a slider.
SLIDER_AREAS_JS = """() => {
  const found = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((c, i) => {
    if (c.model.type === 'code' && c.node.querySelector('.jp-OutputArea .noUi-handle')) found.push(i);
  });
  return found;
}"""
