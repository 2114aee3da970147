# Writes airpassengers.csv, lynx.csv, lakehuron.csv, faithful.csv and seatbelts.csv from R's datasets package
# (Debian r-base-core 4.2.2.20221110-2). Run by make-real-datasets.sh.
ym <- function(x) sprintf("%d-%02d", floor(time(x) + 1e-9), as.integer(round(cycle(x))))
write.csv(data.frame(date = ym(AirPassengers), passengers = as.numeric(AirPassengers)), "airpassengers.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(year = as.integer(time(lynx)), trappings = as.numeric(lynx)), "lynx.csv", row.names = FALSE, quote = FALSE)
write.csv(data.frame(year = as.integer(time(LakeHuron)), level = as.numeric(LakeHuron)), "lakehuron.csv", row.names = FALSE, quote = FALSE)
write.csv(faithful, "faithful.csv", row.names = FALSE, quote = FALSE)
# seatbelts.csv: UK drivers killed or seriously injured per month, 1969-01 to 1984-12, with two observed inputs:
# input1 = the compulsory seat-belt law (0 before, 1 from 1983-02), input2 = the real petrol price (PetrolPrice).
write.csv(data.frame(date = ym(Seatbelts), drivers = as.numeric(Seatbelts[, "drivers"]),
                     input1 = as.numeric(Seatbelts[, "law"]), input2 = as.numeric(Seatbelts[, "PetrolPrice"])),
          "seatbelts.csv", row.names = FALSE, quote = FALSE)
