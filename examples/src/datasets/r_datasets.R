# Writes airpassengers.csv, lynx.csv, lakehuron.csv and faithful.csv from R's datasets package
# (Debian r-base-core 4.2.2.20221110-2). Run by make-real-datasets.sh.
ym <- function(x) sprintf("%d-%02d", floor(time(x) + 1e-9), as.integer(round(cycle(x))))
write.csv(data.frame(date = ym(AirPassengers), passengers = as.numeric(AirPassengers)), "airpassengers.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(year = as.integer(time(lynx)), trappings = as.numeric(lynx)), "lynx.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(year = as.integer(time(LakeHuron)), level = as.numeric(LakeHuron)), "lakehuron.csv", row.names = FALSE, quote = FALSE)
write.csv(faithful, "faithful.csv", row.names = FALSE, quote = FALSE)
