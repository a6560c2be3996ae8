# bench/tier.sh's plot: the propagation latency distribution (HdrHistogram percentiles).
# Variables (gnuplot -e): dat (in one JVM) and dat2 (two WildFly nodes), each: value in ms,
# 1/(1-percentile); png, title.
set terminal pngcairo size 960,440 font ",10"
set output png
set title title
set logscale x
set xlabel "percentile"
set ylabel "latency (ms)"
set xtics ("50%%" 2, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 10000)
set yrange [0:*]
set grid
set key top left
plot dat using 2:1 with lines lw 2 title "in one JVM: A write -> B check", \
     dat2 using 2:1 with lines lw 2 title "two WildFly nodes: POST /logout on A -> 401 on B", \
     10 with lines dt 2 title "goal p99: 10 ms"
