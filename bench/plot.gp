# bench/load.sh's plot. Variables (gnuplot -e): dat (the data file), png (the output), title,
# a and b (the two WARs' labels).
# Data columns: run, with req/s, without req/s, with p50, without p50, with p99, without p99 (ms).
set terminal pngcairo size 960,440 font ",10"
set output png
stats dat using 1 nooutput
runs = STATS_max
set multiplot layout 1,2 title title
set xlabel "run (alternating: ".a.", then ".b.")"
set xrange [0.5:runs + 0.5]
set xtics 1
set key outside bottom center horizontal
set ylabel "requests/s"
set yrange [0:*]
set style fill solid 0.8
set boxwidth 0.35
plot dat using ($1-0.18):2 with boxes title a, \
     "" using ($1+0.18):3 with boxes title b
set ylabel "latency (ms)"
plot dat using 1:4 with linespoints title a.": p50", \
     "" using 1:5 with linespoints title b.": p50", \
     "" using 1:6 with linespoints dt 2 title a.": p99", \
     "" using 1:7 with linespoints dt 2 title b.": p99"
unset multiplot
