# Run a batch of saved Ruby snippets, each in its own forked process, as `ruby FILE` would.
#
# Usage: ruby run_ruby.rb SCRATCH FILENAME COUNT. Job i's working directory is the text of
# SCRATCH/i.cwd, where the snippet is saved as FILENAME; its whole environment is SCRATCH/i.env
# (NAME=VALUE entries, each ending in NUL). Each child changes to that directory, takes that
# environment, sends its stdout and stderr to SCRATCH/i.out and SCRATCH/i.err and loads the
# file; the children run side by side. One exit status a line, job by job, goes to stdout.
#
# The driver requires nothing before it forks, so a child starts as bare as `ruby FILE` (core
# and RubyGems): a snippet that forgets a `require` fails here too. Forking saves RubyGems'
# start-up (about 200 ms a process) for each snippet.

scratch, filename, count = ARGV
jobs = Array.new(Integer(count)) do |index|
  base = File.join(scratch, index.to_s)
  cwd = File.read("#{base}.cwd")
  env = File.binread("#{base}.env").split("\0").to_h { |entry| entry.split("=", 2) }
  pid = fork do
    Dir.chdir(cwd)
    ENV.replace(env)
    $stdout.reopen("#{base}.out", "w")
    $stderr.reopen("#{base}.err", "w")
    $0 = filename
    load File.join(cwd, filename)
  end
  pid
end
jobs.each do |pid|
  _, status = Process.wait2(pid)
  puts status.exitstatus || 128 + status.termsig
end
