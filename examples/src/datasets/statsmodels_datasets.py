# Writes sunspots.csv, co2.csv and usmacro.csv from the CSV files of Debian's python3-statsmodels
# (0.13.5+dfsg-7), extracted with `dpkg -x` into SM.
import csv, math, sys
SM = sys.argv[1] + "/usr/lib/python3/dist-packages/statsmodels/datasets/"

def rows(name):
    with open(SM + name + "/" + name + ".csv", newline="") as f:
        return list(csv.DictReader(f))

def num(s):  # the file's own text, without a trailing ".0"
    return s[:-2] if s.endswith(".0") else s

with open("sunspots.csv", "w") as out:
    out.write("year,sunspots\n")
    for r in rows("sunspots"):
        out.write("%s,%s\n" % (r["YEAR"], num(r["SUNACTIVITY"])))

with open("co2.csv", "w") as out:
    out.write("date,co2\n")
    for r in rows("co2"):
        d = r["date"]
        out.write("%s-%s-%s,%s\n" % (d[:4], d[4:6], d[6:], r["co2"] if r["co2"] != "" else "NA"))

with open("usmacro.csv", "w") as out:
    out.write("date,gdp_growth,inflation,unemployment\n")
    m = rows("macrodata")
    for prev, r in zip(m, m[1:]):
        growth = 400 * math.log(float(r["realgdp"]) / float(prev["realgdp"]))
        inflation = 400 * math.log(float(r["cpi"]) / float(prev["cpi"]))
        out.write("%sQ%s,%.3f,%.3f,%s\n" % (num(r["year"]), num(r["quarter"]), growth, inflation, r["unemp"]))
