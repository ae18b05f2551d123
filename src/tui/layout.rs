//! Where each pane goes, as a pure function of the terminal size. The views draw into these
//! rectangles and `App` uses the same ones for page sizes, scrolling and mouse clicks, so what
//! is drawn and what is clicked always agree.

use ratatui::layout::Rect;

/// Below this the screen shows only a "terminal too small" message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// From this width the detail pane sits beside the list instead of under it.
const WIDE: u16 = 140;

/// The lines of the status bar at the bottom.
pub const STATUS_LINES: u16 = 2;

/// A navigation entry takes two lines: the name, then its counts.
pub const NAV_ENTRY_LINES: u16 = 2;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrowseLayout {
    /// The read-only banner, when there is one.
    pub banner: Option<Rect>,
    pub nav: Rect,
    pub list: Rect,
    pub detail: Rect,
    /// Everything between the banner and the status bar (where the help screen goes).
    pub body: Rect,
    pub status: Rect,
}

fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

impl BrowseLayout {
    /// `None` when the terminal is too small.
    pub fn new(area: Rect, banner: bool) -> Option<BrowseLayout> {
        if too_small(area) {
            return None;
        }
        let banner_h = u16::from(banner);
        let banner = banner.then_some(Rect { height: 1, ..area });
        let body = Rect {
            y: area.y + banner_h,
            height: area.height - banner_h - STATUS_LINES,
            ..area
        };
        let status = Rect {
            y: area.y + area.height - STATUS_LINES,
            height: STATUS_LINES,
            ..area
        };
        let (nav, list, detail) = if area.width >= WIDE {
            let nav_w = (area.width / 5).clamp(28, 40);
            let rest = area.width - nav_w;
            let list_w = rest * 3 / 5;
            let nav = Rect {
                width: nav_w,
                ..body
            };
            let list = Rect {
                x: body.x + nav_w,
                width: list_w,
                ..body
            };
            let detail = Rect {
                x: list.x + list_w,
                width: rest - list_w,
                ..body
            };
            (nav, list, detail)
        } else {
            let nav_w = (area.width / 4).clamp(24, 30);
            let right = Rect {
                x: body.x + nav_w,
                width: area.width - nav_w,
                ..body
            };
            let detail_h = (body.height * 2 / 5)
                .max(6)
                .min(body.height.saturating_sub(6));
            let list = Rect {
                height: body.height - detail_h,
                ..right
            };
            let detail = Rect {
                y: list.y + list.height,
                height: detail_h,
                ..right
            };
            (
                Rect {
                    width: nav_w,
                    ..body
                },
                list,
                detail,
            )
        };
        Some(BrowseLayout {
            banner,
            nav,
            list,
            detail,
            body,
            status,
        })
    }

    pub fn nav_inner(&self) -> Rect {
        inner(self.nav)
    }

    /// How many navigation entries fit.
    pub fn nav_rows(&self) -> usize {
        usize::from(self.nav_inner().height / NAV_ENTRY_LINES).max(1)
    }

    pub fn list_inner(&self) -> Rect {
        inner(self.list)
    }

    /// The list's task rows: below the search line (when shown) and the column header.
    pub fn list_rows_area(&self, search_line: bool) -> Rect {
        let i = self.list_inner();
        let top = 1 + u16::from(search_line);
        Rect {
            y: i.y + top.min(i.height),
            height: i.height.saturating_sub(top),
            ..i
        }
    }

    pub fn list_rows(&self, search_line: bool) -> usize {
        usize::from(self.list_rows_area(search_line).height).max(1)
    }

    pub fn detail_inner(&self) -> Rect {
        inner(self.detail)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_at_every_supported_size() {
        for (w, h) in [
            (60, 15),
            (80, 24),
            (100, 30),
            (139, 40),
            (140, 40),
            (160, 45),
            (250, 70),
        ] {
            for banner in [false, true] {
                let area = Rect::new(0, 0, w, h);
                let l = BrowseLayout::new(area, banner).unwrap();
                assert_eq!(l.status.bottom(), h, "{w}x{h}");
                assert_eq!(l.body.bottom(), l.status.y);
                for pane in [l.nav, l.list, l.detail] {
                    assert!(
                        area.contains(pane.as_position()) && pane.right() <= w,
                        "{w}x{h}"
                    );
                    assert!(pane.bottom() <= l.status.y);
                    assert!(pane.width >= 20 && pane.height >= 5, "{w}x{h}: {pane:?}");
                }
                assert!(!l.nav.intersects(l.list) && !l.list.intersects(l.detail));
                assert!(l.list_rows(true) >= 1);
            }
        }
    }

    #[test]
    fn too_small_below_the_minimum() {
        assert!(BrowseLayout::new(Rect::new(0, 0, 59, 40), false).is_none());
        assert!(BrowseLayout::new(Rect::new(0, 0, 200, 14), false).is_none());
        assert!(BrowseLayout::new(Rect::new(0, 0, 0, 0), true).is_none());
    }
}
