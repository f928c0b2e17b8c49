-- wrk script for run.sh's fixed-load section: every connection waits 1 ms (wrk's timer resolution) after each
-- answer before it sends the next request, so the offered load is set by the number of connections, not by how
-- fast the server answers: about connections / (1 ms + latency) requests per second. Latency is measured from
-- the moment each request is written, as in the saturation rounds.
function delay()
    return 1
end
