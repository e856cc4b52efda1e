"""The style sheet a widget carries in projector mode (:mod:`cnnlib.viz.projector`).

:class:`~cnnlib.widgets.view_widget.ViewWidget` adds it (in a ``<style>``
element) to every widget it builds while projector mode is on, and marks the
widget with the class ``cnnlib-projector``; every rule is scoped to that class,
so normal mode and other widgets on the page are untouched. At 1024×768:

* labels, readouts, buttons, menus and the message under a figure are
  :data:`~cnnlib.viz.projector.PROJECTOR_MIN_PX` px;
* a description is never cut short ("pool wind…"), a button is as wide as its text;
* a menu (``Dropdown``) is as wide as its longest option, whatever width the
  lesson gave it for normal mode: ipywidgets gives every menu a fixed width
  (300 px, or the ``layout.width`` the widget set), into which an 18 px option
  no longer fits ("the predicted clas"). The ``<select>`` takes its natural
  width (the browser sizes a menu by its widest option) and the box around it
  follows; the row of controls wraps, so a wider menu moves to the next line
  instead of overlapping;
* tab titles are 18 px and never shortened;
* a slider's handle has a dark blue rim and its track is darker: at rest JupyterLab draws a white knob
  with a light gray rim on a light gray track, which a projector washes out.

>>> ".cnnlib-projector .widget-dropdown > select" in PROJECTOR_CSS
True
"""
from __future__ import annotations

from ..viz.palette import OKABE_ITO
from ..viz.projector import PROJECTOR_MIN_PX

HANDLE_RIM = OKABE_ITO["blue"]  # the same blue as a widget's selected cell

PROJECTOR_CSS = f"""
.cnnlib-projector .widget-label, .cnnlib-projector .widget-readout, .cnnlib-projector button,
.cnnlib-projector select, .cnnlib-projector input, .cnnlib-projector .widget-label-basic,
.cnnlib-projector .cnnlib-message {{ font-size: {PROJECTOR_MIN_PX:g}px !important; }}
.cnnlib-projector .widget-inline-hbox .widget-label {{ width: auto !important; max-width: none !important;
  min-width: 4em; padding-right: 8px; overflow: visible !important; }}
.cnnlib-projector .widget-readout {{ min-width: 3.5em; }}
.cnnlib-projector button {{ height: auto !important; min-height: 32px; width: auto !important;
  padding: 0 12px !important; }}
.cnnlib-projector .widget-dropdown {{ width: auto !important; max-width: 100%; height: 32px !important;
  line-height: 32px !important; }}
.cnnlib-projector .widget-dropdown > select {{ flex: 0 1 auto !important; width: auto !important;
  padding-right: 28px !important; }}  /* 20 px arrow, 8 px from the text */
.cnnlib-projector .lm-TabBar-tabLabel, .cnnlib-projector .p-TabBar-tabLabel {{ font-size: {PROJECTOR_MIN_PX:g}px; }}
.cnnlib-projector .noUi-handle {{ border: 3px solid {HANDLE_RIM} !important; background: #ffffff !important; }}
.cnnlib-projector .noUi-target {{ background: #8c8c8c !important; }}
.cnnlib-projector .lm-TabBar-tab, .cnnlib-projector .p-TabBar-tab {{ flex: 0 0 auto !important; max-width: none !important;
  min-width: 0 !important; }}
"""
