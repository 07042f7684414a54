#!/usr/bin/env python3
"""Writes tests/data/variations/<name>.flam3: one small parity genome per flam3 variation.

Each genome has the variation at weight ~1 with non-default parameters in its
first xform, plus two contractive linear xforms that keep the attractor
bounded. The camera (center, scale) is framed with flam3-render itself: render
wide, find where the light falls, zoom onto it, repeat. The genomes feed the
parity suite that compares flamegrid-render with flam3-render.

Usage: make_variation_genomes.py [--only NAME ...]   (needs flam3-render on PATH)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOGUE = os.path.join(HERE, "..", "..", "..", "renderer", "variations", "variation.h")
WIDTH, HEIGHT = 96, 72

# name -> (variation attributes of the first xform, its coefs). Extra
# variations appear where flam3's formula is a displacement meant to be
# combined (radial_blur) or a pre-transform (pre_blur).
VARIATIONS = {
    "linear": ({"linear": 1}, "0.8 0.3 -0.3 0.8 0 0"),
    "sinusoidal": ({"sinusoidal": 1}, "1.6 0.4 -0.4 1.6 0 0"),
    "spherical": ({"spherical": 1}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "swirl": ({"swirl": 1}, "0.9 0.1 -0.1 0.9 0 0.1"),
    "horseshoe": ({"horseshoe": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "polar": ({"polar": 1}, "0.9 0.2 -0.2 0.9 0.1 0"),
    "handkerchief": ({"handkerchief": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "heart": ({"heart": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "disc": ({"disc": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "spiral": ({"spiral": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "hyperbolic": ({"hyperbolic": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "diamond": ({"diamond": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "ex": ({"ex": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "julia": ({"julia": 1}, "0.9 0.2 -0.2 0.9 0.3 0"),
    "bent": ({"bent": 1}, "0.9 0.3 -0.3 0.9 0 0"),
    "waves": ({"waves": 1}, "0.8 0.1 0.3 0.6 0.25 0.2"),
    "fisheye": ({"fisheye": 1}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "popcorn": ({"popcorn": 1}, "0.7 -0.2 0.2 0.7 0.2 0.3"),
    "exponential": ({"exponential": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "power": ({"power": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "cosine": ({"cosine": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "rings": ({"rings": 1}, "0.9 0.2 -0.2 0.9 0.6 0"),
    "fan": ({"fan": 1}, "0.9 0.2 -0.2 0.9 0.5 0.2"),
    "blob": ({"blob": 1, "blob_low": 0.3, "blob_high": 1.2, "blob_waves": 5}, "0.9 0.2 -0.2 0.9 0 0"),
    "pdj": ({"pdj": 1, "pdj_a": 1.3, "pdj_b": -2.1, "pdj_c": 1.7, "pdj_d": -1.2}, "1 0 0 1 0 0"),
    "fan2": ({"fan2": 1, "fan2_x": 0.6, "fan2_y": 0.4}, "0.9 0.2 -0.2 0.9 0 0"),
    "rings2": ({"rings2": 1, "rings2_val": 0.7}, "0.9 0.2 -0.2 0.9 0 0"),
    "eyefish": ({"eyefish": 1}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "bubble": ({"bubble": 1}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "cylinder": ({"cylinder": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "perspective": ({"perspective": 1, "perspective_angle": 0.6, "perspective_dist": 2.5},
                    "0.9 0.2 -0.2 0.9 0 0"),
    "noise": ({"noise": 0.8}, "0.9 0.2 -0.2 0.9 0.3 0"),
    "julian": ({"julian": 1, "julian_power": 5, "julian_dist": 0.7}, "0.9 0.2 -0.2 0.9 0.3 0"),
    "juliascope": ({"juliascope": 1, "juliascope_power": 4, "juliascope_dist": 1.3},
                   "0.9 0.2 -0.2 0.9 0.3 0"),
    "blur": ({"blur": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "gaussian_blur": ({"gaussian_blur": 0.4}, "0.9 0.2 -0.2 0.9 0 0"),
    "radial_blur": ({"linear": 1, "radial_blur": 0.4, "radial_blur_angle": 0.4},
                    "0.9 0.2 -0.2 0.9 0 0"),
    "pie": ({"pie": 1, "pie_slices": 7, "pie_rotation": 0.3, "pie_thickness": 0.6},
            "0.9 0.2 -0.2 0.9 0 0"),
    "ngon": ({"ngon": 1, "ngon_sides": 6, "ngon_power": 2.5, "ngon_circle": 0.8, "ngon_corners": 1.5},
             "0.9 0.2 -0.2 0.9 0 0"),
    "curl": ({"curl": 1, "curl_c1": 0.8, "curl_c2": 0.3}, "0.9 0.2 -0.2 0.9 0 0"),
    "rectangles": ({"rectangles": 1, "rectangles_x": 0.4, "rectangles_y": 0.7},
                   "0.9 0.2 -0.2 0.9 0 0"),
    "arch": ({"arch": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "tangent": ({"tangent": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "square": ({"square": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "rays": ({"rays": 0.5}, "0.9 0.2 -0.2 0.9 0 0"),
    "blade": ({"blade": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "secant2": ({"secant2": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "twintrian": ({"twintrian": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "cross": ({"cross": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "disc2": ({"disc2": 1, "disc2_rot": 0.7, "disc2_twist": 2}, "0.9 0.2 -0.2 0.9 0 0"),
    "super_shape": ({"super_shape": 1, "super_shape_rnd": 0.2, "super_shape_m": 5,
                     "super_shape_n1": 2, "super_shape_n2": 1.5, "super_shape_n3": 1.5,
                     "super_shape_holes": 0.1}, "0.9 0.2 -0.2 0.9 0 0"),
    "flower": ({"flower": 1, "flower_petals": 5, "flower_holes": 0.2}, "0.9 0.2 -0.2 0.9 0 0"),
    "conic": ({"conic": 1, "conic_eccentricity": 0.7, "conic_holes": 0.1}, "0.9 0.2 -0.2 0.9 0 0"),
    "parabola": ({"parabola": 1, "parabola_height": 1.2, "parabola_width": 0.8},
                 "0.9 0.2 -0.2 0.9 0 0"),
    "bent2": ({"bent2": 1, "bent2_x": 1.6, "bent2_y": -0.7}, "0.9 0.2 -0.2 0.9 0 0"),
    "bipolar": ({"bipolar": 1, "bipolar_shift": 0.4}, "0.9 0.2 -0.2 0.9 0 0"),
    "boarders": ({"boarders": 1}, "1.2 0.3 -0.3 1.2 0 0"),
    "butterfly": ({"butterfly": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "cell": ({"cell": 1, "cell_size": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "cpow": ({"cpow": 1, "cpow_r": 1.5, "cpow_i": 0.3, "cpow_power": 3}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "curve": ({"curve": 1, "curve_xamp": 0.6, "curve_yamp": 0.4, "curve_xlength": 1.2,
               "curve_ylength": 0.8}, "0.9 0.2 -0.2 0.9 0 0"),
    "edisc": ({"edisc": 6}, "1.5 0.3 -0.3 1.5 0 0"),  # flam3 divides by 11.57
    "elliptic": ({"elliptic": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "escher": ({"escher": 1, "escher_beta": 0.6}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "foci": ({"foci": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "lazysusan": ({"lazysusan": 1.2, "lazysusan_spin": 0.8, "lazysusan_space": 0.3,
                   "lazysusan_twist": 0.5, "lazysusan_x": 0.2, "lazysusan_y": 0.1},
                  "0.9 0.2 -0.2 0.9 0 0"),
    "loonie": ({"loonie": 0.9}, "0.9 0.2 -0.2 0.9 0 0"),
    "pre_blur": ({"pre_blur": 0.25, "spherical": 0.8}, "0.9 0.2 -0.2 0.9 0.2 0"),
    "modulus": ({"modulus": 1, "modulus_x": 0.7, "modulus_y": 0.5}, "1.2 0.3 -0.3 1.2 0 0"),
    "oscilloscope": ({"oscilloscope": 1, "oscilloscope_separation": 0.4,
                      "oscilloscope_frequency": 2, "oscilloscope_amplitude": 0.6,
                      "oscilloscope_damping": 0.3}, "0.9 0.2 -0.2 0.9 0 0"),
    "polar2": ({"polar2": 1}, "0.9 0.2 -0.2 0.9 0 0"),
    "popcorn2": ({"popcorn2": 1, "popcorn2_x": 0.3, "popcorn2_y": 0.2, "popcorn2_c": 2.5},
                 "0.9 0.2 -0.2 0.9 0 0"),
    "scry": ({"scry": 0.9}, "0.9 0.2 -0.2 0.9 0 0"),
    "separation": ({"separation": 1, "separation_x": 0.3, "separation_xinside": 0.2,
                    "separation_y": 0.4, "separation_yinside": -0.1}, "0.9 0.2 -0.2 0.9 0 0"),
    "split": ({"split": 1, "split_xsize": 0.7, "split_ysize": 0.5}, "1.1 0.2 -0.2 1.1 0 0"),
    "splits": ({"splits": 1, "splits_x": 0.3, "splits_y": 0.2}, "0.8 0.2 -0.2 0.8 0 0"),
    "stripes": ({"stripes": 1, "stripes_space": 0.4, "stripes_warp": 1.5}, "1.2 0.2 -0.2 1.2 0 0"),
    "wedge": ({"wedge": 1, "wedge_angle": 0.6, "wedge_hole": 0.1, "wedge_count": 4,
               "wedge_swirl": 0.3}, "0.9 0.2 -0.2 0.9 0 0"),
    "wedge_julia": ({"wedge_julia": 1, "wedge_julia_angle": 0.4, "wedge_julia_count": 3,
                     "wedge_julia_power": 4, "wedge_julia_dist": 1}, "0.9 0.2 -0.2 0.9 0.3 0"),
    "wedge_sph": ({"wedge_sph": 1, "wedge_sph_angle": 0.5, "wedge_sph_count": 3,
                   "wedge_sph_hole": 0.2, "wedge_sph_swirl": 0.2}, "0.9 0.2 -0.2 0.9 0 0"),
    "whorl": ({"whorl": 1, "whorl_inside": 0.4, "whorl_outside": 0.8}, "0.9 0.2 -0.2 0.9 0 0"),
    "waves2": ({"waves2": 1, "waves2_freqx": 3, "waves2_scalex": 0.3, "waves2_freqy": 2,
                "waves2_scaley": 0.2}, "0.9 0.2 -0.2 0.9 0 0"),
    "exp": ({"exp": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "log": ({"log": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "sin": ({"sin": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "cos": ({"cos": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "tan": ({"tan": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "sec": ({"sec": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "csc": ({"csc": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "cot": ({"cot": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "sinh": ({"sinh": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "cosh": ({"cosh": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "tanh": ({"tanh": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "sech": ({"sech": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "csch": ({"csch": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "coth": ({"coth": 0.6}, "0.9 0.2 -0.2 0.9 0 0"),
    "auger": ({"auger": 1, "auger_sym": 0.6, "auger_weight": 0.7, "auger_freq": 3,
               "auger_scale": 1.2}, "0.9 0.2 -0.2 0.9 0 0"),
    "flux": ({"flux": 0.5, "flux_spread": 0.4}, "0.9 0.2 -0.2 0.9 0 0"),
    "mobius": ({"mobius": 1, "mobius_re_a": 0.8, "mobius_im_a": 0.3, "mobius_re_b": 0.2,
                "mobius_im_b": -0.1, "mobius_re_c": -0.3, "mobius_im_c": 0.4, "mobius_re_d": 1,
                "mobius_im_d": 0.1}, "0.9 0.2 -0.2 0.9 0 0"),
}


def catalogue_names():
    text = open(CATALOGUE).read()
    return re.findall(r'^\s*X\(\w+, "([a-z0-9_]+)"\)', text, re.M)


def fmt(v):
    return f"{v:.6g}"


def genome_xml(name, index, center, scale):
    attrs, coefs = VARIATIONS[name]
    var_attrs = " ".join(f'{k}="{fmt(v)}"' for k, v in attrs.items())
    return (
        f'<flame name="variation_{name}" time="0" size="{WIDTH} {HEIGHT}" '
        f'center="{fmt(center[0])} {fmt(center[1])}" scale="{fmt(scale)}" rotate="0" '
        f'supersample="1" filter="0.5" filter_shape="gaussian" quality="200" '
        f'brightness="4" gamma="4" vibrancy="1" highlight_power="-1" '
        f'estimator_radius="3" estimator_minimum="0" estimator_curve="0.4" '
        f'background="0 0 0" palette="{(index * 7) % 700}">\n'
        f'   <xform weight="0.5" color="0" {var_attrs} coefs="{coefs}"/>\n'
        f'   <xform weight="0.25" color="0.5" linear="1" coefs="0.5 0 0 0.5 0.5 0.3"/>\n'
        f'   <xform weight="0.25" color="1" linear="1" coefs="0.45 -0.2 0.2 0.45 -0.5 -0.4"/>\n'
        f'</flame>\n'
    )


def render(xml, tmp):
    path = os.path.join(tmp, "g.flam3")
    out = os.path.join(tmp, "g.ppm")
    open(path, "w").write(xml)
    env = dict(os.environ, **{"in": path, "out": out, "format": "ppm", "seed": "1", "nthreads": "1"})
    subprocess.run(["flam3-render"], env=env, check=True, capture_output=True)
    data = open(out, "rb").read()
    pixels = data.split(b"\n", 3)[3]  # P6, size, maxval, then RGB bytes
    lum = [pixels[i] + pixels[i + 1] + pixels[i + 2] for i in range(0, len(pixels), 3)]
    return lum


def light_box(lum):
    """The 2%..98% extent of the light, in pixels, and the lit fraction."""
    total = sum(lum)
    if total == 0:
        return None, 0.0
    cols = [0] * WIDTH
    rows = [0] * HEIGHT
    for i, v in enumerate(lum):
        cols[i % WIDTH] += v
        rows[i // WIDTH] += v

    def span(hist):
        acc, lo, hi = 0, 0, len(hist) - 1
        for i, v in enumerate(hist):
            acc += v
            if acc >= 0.02 * total:
                lo = i
                break
        acc = 0
        for i in range(len(hist) - 1, -1, -1):
            acc += hist[i]
            if acc >= 0.02 * total:
                hi = i
                break
        return lo, hi + 1

    lit = sum(1 for v in lum if v > 24) / len(lum)
    return (span(cols), span(rows)), lit


def frame(name, index, tmp):
    center, scale = (0.0, 0.0), 8.0
    for _ in range(4):
        box, lit = light_box(render(genome_xml(name, index, center, scale), tmp))
        if box is None:
            scale /= 4
            continue
        (x0, x1), (y0, y1) = box
        wx0, wx1 = center[0] + (x0 - WIDTH / 2) / scale, center[0] + (x1 - WIDTH / 2) / scale
        wy0, wy1 = center[1] + (y0 - HEIGHT / 2) / scale, center[1] + (y1 - HEIGHT / 2) / scale
        new_center = ((wx0 + wx1) / 2, (wy0 + wy1) / 2)
        new_scale = 0.9 * min(WIDTH / max(wx1 - wx0, 1e-3), HEIGHT / max(wy1 - wy0, 1e-3))
        new_scale = min(new_scale, 400.0)
        if abs(new_scale / scale - 1) < 0.1 and abs(new_center[0] - center[0]) * scale < 2 \
                and abs(new_center[1] - center[1]) * scale < 2:
            break
        center, scale = new_center, new_scale
    _, lit = light_box(render(genome_xml(name, index, center, scale), tmp))
    return center, scale, lit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    names = catalogue_names()
    assert len(names) == 99 and set(names) == set(VARIATIONS), set(names) ^ set(VARIATIONS)
    with tempfile.TemporaryDirectory() as tmp:
        for index, name in enumerate(names):
            if args.only and name not in args.only:
                continue
            center, scale, lit = frame(name, index, tmp)
            with open(os.path.join(HERE, f"{name}.flam3"), "w") as f:
                f.write(genome_xml(name, index, center, scale))
            flag = "" if lit >= 0.05 else "   <-- sparse"
            print(f"{name:16s} center=({center[0]:+.3f}, {center[1]:+.3f}) scale={scale:7.2f} "
                  f"lit={lit:.0%}{flag}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
